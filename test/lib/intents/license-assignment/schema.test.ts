import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'License Assignment';
const base = { 'User Email': 'jane@contoso.com', 'License SKU': 'Microsoft 365 E3' };

describe('license-assignment schema', () => {
  it('defaults to Assign, keeps the licence as typed', () => {
    expect(fieldsOf(intent, base)).toEqual({ userEmail: 'jane@contoso.com', license: 'Microsoft 365 E3', action: 'Assign', usageLocation: undefined });
  });
  it.each([['assign', 'Assign'], ['REMOVE', 'Remove'], [' remove ', 'Remove'], ['', 'Assign'], [null, 'Assign']])('Action %j → %s (empty takes the default)', (raw, expected) => {
    expect(fieldsOf(intent, { ...base, Action: raw }).action).toBe(expected);
  });
  it.each(['Unassign', 'Add', 'Delete', 'Replace'])('Action %j is refused, not silently assigned', (raw) => {
    const problem = problemAt(intent, { ...base, Action: raw }, 'Action');
    expect(problem.message).toBe(`Action "${raw}" is not one of the allowed values.`);
    expect(problem.fix).toBe('Set Action to one of: Assign, Remove.');
  });
  it.each([['gb', 'GB'], ['US', 'US']])('Usage Location %j → %s', (raw, expected) => {
    expect(fieldsOf(intent, { ...base, 'Usage Location': raw }).usageLocation).toBe(expected);
  });
  it('refuses a non-ISO Usage Location', () => {
    expect(problemAt(intent, { ...base, 'Usage Location': 'UK' }, 'Usage Location').fix).toContain('two letters');
  });
  it('requires License SKU', () => {
    expect(problemAt(intent, { 'User Email': 'jane@contoso.com', 'License SKU': '  ' }, 'License SKU').message).toBe('License SKU is required and was not given.');
  });
});
