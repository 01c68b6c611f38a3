import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'Add User to Group';
const user = { 'User Email': 'jane@contoso.com' };

describe('add-user-to-group schema', () => {
  it.each([
    ['Sales', ['Sales']],
    ['Sales, Marketing', ['Sales', 'Marketing']],
    ['Sales; Marketing;', ['Sales', 'Marketing']],
    ['Sales, sales', ['Sales']],
    [['Sales', 'Finance'], ['Sales', 'Finance']],
    ["O'Brien Team", ["O'Brien Team"]],
    ['6f1c1f0e-8d0b-4c53-9d69-1b2c3d4e5f60', ['6f1c1f0e-8d0b-4c53-9d69-1b2c3d4e5f60']],
  ])('Group Name %j → %j', (raw, expected) => {
    expect(fieldsOf(intent, { ...user, 'Group Name': raw })).toEqual({ userEmail: 'jane@contoso.com', groupNames: expected });
  });
  it.each([undefined, '', ' , ; ', []])('Group Name %j is missing', (raw) => {
    expect(problemAt(intent, { ...user, 'Group Name': raw }, 'Group Name').message).toBe('Group Name is required and was not given.');
  });
  it('at most 20 groups', () => {
    const names = Array.from({ length: 21 }, (_, i) => `Group ${i}`).join(', ');
    expect(problemAt(intent, { ...user, 'Group Name': names }, 'Group Name').message).toBe('Group Name lists 21 entries; at most 20 are allowed in one request.');
    expect((fieldsOf(intent, { ...user, 'Group Name': names.split(', ').slice(0, 20).join(',') }).groupNames as string[]).length).toBe(20);
  });
  it('refuses an over-long group name', () => {
    expect(problemAt(intent, { ...user, 'Group Name': 'x'.repeat(257) }, 'Group Name').message).toContain('at most 256');
  });
  it('requires User Email', () => {
    expect(problemAt(intent, { 'Group Name': 'Sales' }, 'User Email').message).toBe('User Email is required and was not given.');
  });
});
