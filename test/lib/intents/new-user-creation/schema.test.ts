import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt, problemsOf } from '../../contract/webhook-fixture.js';

const intent = 'New User Creation';
const base = { 'Display Name': 'Jane Doe', Email: 'jane.doe@contoso.com' };

describe('new-user-creation schema', () => {
  it('minimal request', () => {
    expect(fieldsOf(intent, base)).toEqual({
      displayName: 'Jane Doe',
      userPrincipalName: 'jane.doe@contoso.com',
      firstName: undefined,
      lastName: undefined,
      department: undefined,
      jobTitle: undefined,
      license: undefined,
      groupNames: [],
      usageLocation: undefined,
      managerEmail: undefined,
    });
  });
  it('full request, trimmed and typed; empty optional texts are "not given"', () => {
    expect(
      fieldsOf(intent, {
        ...base,
        'First Name': ' Jane ',
        'Last Name': 'Doe',
        Department: '',
        'Job Title': 'Analyst',
        'License SKU': 'SPE_E3',
        'Group Memberships': 'Sales; All Staff, sales',
        'Usage Location': 'us',
        'Manager Email': 'boss@contoso.com',
      }),
    ).toEqual({
      displayName: 'Jane Doe',
      userPrincipalName: 'jane.doe@contoso.com',
      firstName: 'Jane',
      lastName: 'Doe',
      department: undefined,
      jobTitle: 'Analyst',
      license: 'SPE_E3',
      groupNames: ['Sales', 'All Staff'],
      usageLocation: 'US',
      managerEmail: 'boss@contoso.com',
    });
  });
  it('requires Display Name and a valid Email (UPN)', () => {
    expect(problemsOf(intent, {}).map((p) => p.path)).toEqual(['intent_fields.Display Name', 'intent_fields.Email']);
    expect(problemAt(intent, { ...base, Email: 'jane doe@contoso.com' }, 'Email').message).toBe('Email contains a space.');
  });
  it.each([
    ['First Name', 65, 64],
    ['Last Name', 65, 64],
    ['Department', 65, 64],
    ['Job Title', 129, 128],
    ['Display Name', 257, 256],
  ] as const)('%s longer than Graph allows is refused', (field, length, max) => {
    expect(problemAt(intent, { ...base, [field]: 'x'.repeat(length) }, field).message).toBe(`${field} has ${length} characters; at most ${max} are allowed.`);
  });
  it('refuses a bad manager address', () => {
    expect(problemAt(intent, { ...base, 'Manager Email': 'boss' }, 'Manager Email').message).toContain('has no @');
  });
  // Learn, user resource, userPrincipalName: "A - Z, a - z, 0 - 9, ' . - _ ! # ^ ~" before the @
  // (https://learn.microsoft.com/graph/api/resources/user#properties).
  it('refuses a new sign-in name with characters Graph does not allow, naming them and a fix', () => {
    const problem = problemAt(intent, { ...base, Email: '$jane.doe@contoso.com' }, 'Email');
    expect(problem?.message).toContain('not allow in a new sign-in name: "$"');
    expect(problem?.fix).toContain('jane.doe@contoso.com');
    expect(fieldsOf(intent, { ...base, Email: "o'neil.j_d!#^~-x@contoso.com" }).userPrincipalName).toBe("o'neil.j_d!#^~-x@contoso.com");
  });
});
