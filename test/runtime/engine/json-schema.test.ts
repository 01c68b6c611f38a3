import { describe, expect, it } from 'vitest';
import { validateJsonSchema } from '../../../local/runtime/engine/json-schema.js';

describe('JSON schema checks (Newtonsoft wording)', () => {
  const schema = {
    type: 'object',
    properties: {
      intent: { type: 'string', enum: ['Password Reset', 'Add User to Group'] },
      tags: { type: 'array', items: { type: 'string', maxLength: 3 }, minItems: 1, maxItems: 2 },
      score: { type: 'number', minimum: 0, maximum: 1 },
      code: { type: 'string', pattern: '^[A-Z]{2}$' },
      nested: { type: 'object', properties: { id: { type: ['integer', 'null'] } }, additionalProperties: false },
    },
    required: ['intent'],
  };

  it('accepts a conforming value', () => {
    expect(validateJsonSchema(schema, { intent: 'Password Reset', tags: ['a'], score: 0.5, code: 'GB', nested: { id: null } })).toEqual([]);
  });

  it('reports each violation with its path', () => {
    const errors = validateJsonSchema(schema, { intent: 'Hack', tags: ['abcd', 'b', 'c'], score: 2, code: 'gb', nested: { id: 1.5, extra: true } });
    expect(errors).toEqual([
      'Value "Hack" is not defined in enum. Path \'intent\'.',
      "Array item count 3 exceeds maximum count of 2. Path 'tags'.",
      "String 'abcd' exceeds maximum length of 3. Path 'tags[0]'.",
      "Integer 2 exceeds maximum value of 1. Path 'score'.",
      "String 'gb' does not match regex pattern '^[A-Z]{2}$'. Path 'code'.",
      "Invalid type. Expected Integer, Null but got Float. Path 'nested.id'.",
      "Property 'extra' has not been defined and the schema does not allow additional properties. Path 'nested.extra'.",
    ]);
    expect(validateJsonSchema(schema, [])).toEqual(['Invalid type. Expected Object but got Array.']);
    expect(validateJsonSchema(schema, {})).toEqual(['Required properties are missing from object: intent.']);
  });
});
