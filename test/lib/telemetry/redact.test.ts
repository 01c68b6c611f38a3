import { describe, expect, it } from 'vitest';
import { isSecretKey, redact, REDACTED, scrubString } from '../../../lib/telemetry/redact.js';

describe('isSecretKey', () => {
  it.each(['password', 'Temporary Password', 'temporary_password', 'TEMPORARYPASSWORD', 'client_secret', 'clientSecret', 'access_token', 'Authorization', 'x-api-key', 'apiKey', 'linkKey', 'k', 'credentials', 'Set-Cookie', 'pwd'])(
    '%j is secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );
  it.each(['dedup_key', 'partitionKey', 'RowKey', 'user', 'ticket_id', 'intent_name', 'keyboard', 'monkey_business'])('%j is not', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );
});

describe('redact', () => {
  it('replaces secret-looking members at any depth and leaves the rest', () => {
    const input = {
      intent_name: 'Password Reset',
      raw_payload: {
        intent_fields: { 'User Email': 'jane@contoso.com', 'Temporary Password': 'Hunter2-Hunter2' },
        nested: [{ headers: { authorization: 'Bearer abc.def.ghi' } }],
      },
      dedup_key: '5678_password-reset',
    };
    expect(redact(input, [])).toEqual({
      intent_name: 'Password Reset',
      raw_payload: {
        intent_fields: { 'User Email': 'jane@contoso.com', 'Temporary Password': REDACTED },
        nested: [{ headers: { authorization: REDACTED } }],
      },
      dedup_key: '5678_password-reset',
    });
    // the input is not mutated
    expect(input.raw_payload.intent_fields['Temporary Password']).toBe('Hunter2-Hunter2');
  });

  it('scrubs known secret values from every string, including inside messages and keys', () => {
    const secrets = ['Hunter2-Hunter2'];
    expect(scrubString('Graph said: password Hunter2-Hunter2 is too weak', secrets)).toBe('Graph said: password [redacted] is too weak');
    expect(redact({ error_message: 'x Hunter2-Hunter2 y', list: ['Hunter2-Hunter2'], ['Hunter2-Hunter2']: 1 }, secrets)).toEqual({
      error_message: `x ${REDACTED} y`,
      list: [REDACTED],
      [REDACTED]: 1,
    });
  });

  it('keeps empty secret members visible as empty (nothing to hide) and survives cycles', () => {
    const cyclic: Record<string, unknown> = { password: '' };
    cyclic.self = cyclic;
    expect(redact(cyclic, [])).toEqual({ password: '', self: '[cycle]' });
  });
});
