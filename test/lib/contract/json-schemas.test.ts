import { describe, expect, it } from 'vitest';
import { allIntentJsonSchemas, intentFieldsJsonSchema } from '../../../lib/contract/json-schemas.js';
import { INTENT_IDS } from '../../../lib/contract/types.js';

describe('JSON Schema of intent fields', () => {
  it('exists for every intent with title, properties and required fields', () => {
    const schemas = allIntentJsonSchemas();
    expect(Object.keys(schemas)).toEqual([...INTENT_IDS]);
    for (const schema of Object.values(schemas)) {
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.type).toBe('object');
      expect(Object.keys(schema.properties as object).length).toBeGreaterThan(0);
    }
  });
  it('describes defaults, required fields and secrets', () => {
    const schema = intentFieldsJsonSchema('password-reset');
    expect(schema.required).toEqual(['User Email']);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props['Force Change on Login']).toMatchObject({ type: 'boolean', default: true });
    expect(props['Temporary Password']).toMatchObject({ type: 'string', 'x-secret': true, writeOnly: true });
    expect(intentFieldsJsonSchema('shared-mailbox-permission').required).toEqual(['Shared Mailbox Email', 'User Email']);
    expect(intentFieldsJsonSchema('add-user-to-group').required).toEqual(['User Email', 'Group Name']);
    expect((intentFieldsJsonSchema('mfa-reset').properties as Record<string, Record<string, unknown>>)['MFA Method to Reset']).toMatchObject({ default: 'All' });
  });
});
