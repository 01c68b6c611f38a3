import { describe, expect, it } from 'vitest';
import { hasLoneSurrogate, unsafeCharacter } from '../../../lib/contract/text-safety.js';
import { MAX_NESTING, tooDeeplyNested } from '../../../lib/contract/nesting.js';
import { validateWebhook } from '../../../lib/contract/validate.js';
import { webhook } from './webhook-fixture.js';

/** Issue 11 findings 3 and 6: characters and shapes that broke things downstream are refused up front. */
describe('unsafeCharacter', () => {
  it('finds a lone surrogate (encodeURIComponent throws URIError on it: https://tc39.es/ecma262/#sec-encode)', () => {
    expect(unsafeCharacter('Fin\ud800ance')).toBe('a broken Unicode character (an unpaired surrogate U+D800)');
    expect(unsafeCharacter('end\udc00')).toContain('U+DC00');
    expect(() => encodeURIComponent('Fin\ud800ance')).toThrow(URIError);
  });

  it('accepts paired surrogates (emoji) and ordinary Unicode', () => {
    expect(unsafeCharacter('Café 🎉 Zoë')).toBeUndefined();
    expect(hasLoneSurrogate('🎉')).toBe(false);
  });

  it('finds control characters (https://www.rfc-editor.org/rfc/rfc9110#section-5.5: CR, LF and NUL are never valid in a header field value)', () => {
    expect(unsafeCharacter('9981234\n')).toBe('a control character (U+000A)');
    expect(unsafeCharacter('a\u0085b')).toContain('U+0085');
    expect(unsafeCharacter('a\u007fb')).toContain('U+007F');
  });

  it('multi-line text keeps tab, line feed and carriage return, nothing else', () => {
    expect(unsafeCharacter('line 1\r\n\tline 2', { multiline: true })).toBeUndefined();
    expect(unsafeCharacter('bell\u0007', { multiline: true })).toContain('U+0007');
  });
});

describe('tooDeeplyNested', () => {
  it(`allows ${MAX_NESTING} levels and names the member that goes deeper`, () => {
    let ok: unknown = 1;
    for (let i = 0; i < MAX_NESTING - 1; i++) ok = [ok];
    expect(tooDeeplyNested({ a: ok })).toBeUndefined();
    expect(tooDeeplyNested({ a: [ok] })).toMatch(/^a\[0\]\[0\]/);
  });

  it('walks 200,000 levels without recursion', () => {
    const text = `{"extra":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(tooDeeplyNested(JSON.parse(text))).toMatch(/^extra/);
  });
});

describe('validateWebhook refuses broken characters, naming the field', () => {
  const meta = (ticket_id: unknown) => ({ ticket_id, contact_name: 'Pat', contact_email: 'pat@msp.example', company_name: 'Contoso' });

  it.each(['9981234\n', '\t5', '5\r\nX-Injected: 1', '5\u0000'])('ticket id %j → 400 at meta_data.ticket_id', (id) => {
    const result = validateWebhook({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: meta(id) });
    expect(result).toMatchObject({ ok: false, status: 400, problems: [expect.objectContaining({ path: 'meta_data.ticket_id', message: expect.stringContaining('control character') })] });
  });

  it('a ticket id with ordinary spaces around digits is still accepted', () => {
    const result = validateWebhook({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: meta(' 42 ') });
    expect(result.ok && result.request.ticketId).toBe(42);
  });

  it.each([
    ['Group Name', 'Add User to Group', { 'User Email': 'j@contoso.com', 'Group Name': 'Fin\ud800ance' }],
    ['Group Name', 'Add User to Group', { 'User Email': 'j@contoso.com', 'Group Name': ['Sales', 'Fin\u0000ance'] }],
    ['User Email', 'MFA Reset', { 'User Email': 'j\ud800@contoso.com' }],
    ['License SKU', 'License Assignment', { 'User Email': 'j@contoso.com', 'License SKU': 'E3\nE5' }],
    ['Display Name', 'New User Creation', { 'Display Name': 'Jane\tDoe', Email: 'jane@contoso.com' }],
    ['Auto Reply Message', 'User Offboarding', { 'User Email': 'j@contoso.com', 'Auto Reply Message': 'Gone\u0007' }],
    ['Temporary Password', 'Password Reset', { 'User Email': 'j@contoso.com', 'Temporary Password': 'Abcdef12!\ud800' }],
  ])('%s with a broken character → 400 naming it (%s)', (field, intent, fields) => {
    const result = validateWebhook(webhook(intent, fields));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.path)).toContain(`intent_fields.${field}`);
  });

  it('an auto-reply message may span lines', () => {
    expect(validateWebhook(webhook('User Offboarding', { 'User Email': 'j@contoso.com', 'Auto Reply Message': 'Ben has left.\r\n\tWrite to Ann.' })).ok).toBe(true);
  });

  it('intent_name with a control character other than spacing → 400 at intent_name; tabs are spacing', () => {
    expect(validateWebhook(webhook('Password\u0000Reset', { 'User Email': 'j@contoso.com' }))).toMatchObject({ ok: false, problems: [expect.objectContaining({ path: 'intent_name' })] });
    const tab = validateWebhook(webhook('Password\tReset', { 'User Email': 'j@contoso.com' }));
    expect(tab.ok && tab.request.intentName).toBe('Password Reset');
  });

  it('a contact name with a control character → 400 at meta_data.contact_name', () => {
    const result = validateWebhook({ ...webhook('MFA Reset', { 'User Email': 'j@contoso.com' }), meta_data: { ...meta(5), contact_name: 'Pat\r\nBcc: x@evil.example' } });
    expect(result).toMatchObject({ ok: false, problems: [expect.objectContaining({ path: 'meta_data.contact_name' })] });
  });
});

describe('UPNs that start with $ (issue 11 item 12)', () => {
  it('are accepted: Graph documents how to address them (https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0, TIP)', () => {
    const result = validateWebhook(webhook('Password Reset', { 'User Email': '$svc.backup@contoso.com' }));
    expect(result.ok && result.request.fields).toMatchObject({ userEmail: '$svc.backup@contoso.com' });
  });
});
