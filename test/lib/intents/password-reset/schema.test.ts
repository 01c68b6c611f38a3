import { describe, expect, it } from 'vitest';
import { fieldsOf, problemAt } from '../../contract/webhook-fixture.js';

const intent = 'Password Reset';
const user = { 'User Email': 'jane@contoso.com' };

describe('password-reset schema', () => {
  it('defaults: no password (generate), force change TRUE when omitted', () => {
    expect(fieldsOf(intent, user)).toEqual({ userEmail: 'jane@contoso.com', temporaryPassword: undefined, forceChangeOnLogin: true });
  });
  it.each([[undefined, true], ['', true], ['No', false], ['yes', true], [0, false], [true, true], ['N', false]])(
    'Force Change on Login %j → %s',
    (raw, expected) => {
      expect(fieldsOf(intent, { ...user, 'Force Change on Login': raw }).forceChangeOnLogin).toBe(expected);
    },
  );
  it('an empty or blank Temporary Password means "generate one"', () => {
    expect(fieldsOf(intent, { ...user, 'Temporary Password': '' }).temporaryPassword).toBeUndefined();
    expect(fieldsOf(intent, { ...user, 'Temporary Password': '   ' }).temporaryPassword).toBeUndefined();
  });
  it.each(['Summer-2026!', 'abcDEF12', 'correct horse Battery', 'ABCdef!!'])('accepts the policy-compliant password %j unchanged', (password) => {
    expect(fieldsOf(intent, { ...user, 'Temporary Password': password }).temporaryPassword).toBe(password);
  });
  it.each([
    ['Ab1!', 'it has 4 characters (at least 8 are required)'],
    ['letmeinnow', 'it uses 1 of the 4 character kinds'],
    ['letmein123', 'it uses 2 of the 4 character kinds'],
    ['Lëtmein123', 'characters Entra ID does not accept'],
    ['Aa1!'.repeat(65), 'it has 260 characters (at most 256 are allowed)'],
  ])('refuses the weak password %j without echoing it', (password, reason) => {
    const problem = problemAt(intent, { ...user, 'Temporary Password': password }, 'Temporary Password');
    expect(problem.message).toContain(reason);
    expect(problem.message).not.toContain(password);
    expect(problem.fix).toContain('leave Temporary Password out');
  });
  it('refuses a non-text password', () => {
    expect(problemAt(intent, { ...user, 'Temporary Password': 12345678 }, 'Temporary Password').message).toBe('Temporary Password must be text.');
  });
  it('requires a syntactically valid User Email', () => {
    expect(problemAt(intent, {}, 'User Email').message).toBe('User Email is required and was not given.');
    expect(problemAt(intent, { 'User Email': 'jane' }, 'User Email').message).toBe('User Email has no @ (expected name@domain).');
  });
});
