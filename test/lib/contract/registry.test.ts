import { describe, expect, it } from 'vitest';
import { allSecretFieldNames, findIntentByName, getIntent, INTENTS, supportedIntentNames } from '../../../lib/contract/registry.js';
import { INTENT_IDS } from '../../../lib/contract/types.js';
import { canonicalJson } from '../../../lib/contract/canonical-json.js';

describe('intent registry', () => {
  it('lists the supported names in the order of the README Intents table', () => {
    expect(supportedIntentNames()).toEqual([
      'Password Reset',
      'Add User to Group',
      'Remove User from Group',
      'License Assignment',
      'MFA Reset',
      'New User Creation',
      'User Offboarding',
      'Disable Account',
      'User Offboarding / Disable Account',
      'Shared Mailbox Permission',
    ]);
  });
  it('has one entry per canonical id, in order', () => {
    expect(INTENTS.map((i) => i.id)).toEqual([...INTENT_IDS]);
  });
  it('maps the offboarding aliases to one id', () => {
    expect(['User Offboarding', 'Disable Account', 'User Offboarding / Disable Account'].map((n) => findIntentByName(n)?.id)).toEqual([
      'user-offboarding',
      'user-offboarding',
      'user-offboarding',
    ]);
    expect(getIntent('user-offboarding').displayName).toBe('User Offboarding');
  });
  it('knows each schema\'s raw field names', () => {
    expect(getIntent('password-reset').fieldNames).toEqual(['User Email', 'Temporary Password', 'Force Change on Login']);
    expect(getIntent('shared-mailbox-permission').fieldNames).toContain('AutoMapping');
  });
  it('marks Temporary Password as the secret field', () => {
    expect(getIntent('password-reset').secretFields).toEqual({ raw: ['Temporary Password'], normalised: ['temporaryPassword'] });
    expect(allSecretFieldNames()).toEqual(['Temporary Password']);
  });
  it('does not match near misses', () => {
    expect(findIntentByName('Password Resets')).toBeUndefined();
    expect(findIntentByName('')).toBeUndefined();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
  });
});
