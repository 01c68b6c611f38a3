import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../local/standins/graph/faults.js';
import { canManageRoleAssignableGroup, canPerformSensitiveAction, canResetPassword, ROLE_ASSIGNABLE_MEMBER } from '../../../local/standins/graph/tenant/privileges.js';

describe('who may reset whose password', () => {
  const cases: Array<[string[], string[], boolean]> = [
    [['Helpdesk Administrator'], [], true],
    [['Helpdesk Administrator'], ['Helpdesk Administrator'], true],
    [['Helpdesk Administrator'], ['User Administrator'], false],
    [['Password Administrator'], ['Helpdesk Administrator'], false],
    [['Authentication Administrator'], ['Authentication Administrator'], true],
    [['User Administrator'], ['Authentication Administrator'], false],
    [['User Administrator', 'Helpdesk Administrator', 'Authentication Administrator'], ['Global Administrator'], false],
    [['User Administrator'], ['Exchange Administrator'], false],
    [['Privileged Authentication Administrator'], ['Global Administrator'], true],
    [['Global Administrator'], [ROLE_ASSIGNABLE_MEMBER, 'Privileged Role Administrator'], true],
    [['User Administrator'], [ROLE_ASSIGNABLE_MEMBER], false],
    [[], [], false],
    [['Exchange Administrator'], [], false],
  ];
  it.each(cases)('caller %j, target %j → %s', (caller, target, allowed) => {
    expect(canResetPassword(caller, target)).toBe(allowed);
  });
});

describe('sensitive actions and role-assignable groups', () => {
  it('needs no role for users without roles, an outranking one otherwise', () => {
    expect(canPerformSensitiveAction([], [])).toBe(true);
    expect(canPerformSensitiveAction([], ['Directory Readers'])).toBe(false);
    expect(canPerformSensitiveAction(['User Administrator'], ['Helpdesk Administrator'])).toBe(true);
    expect(canPerformSensitiveAction(['Helpdesk Administrator'], ['Helpdesk Administrator'])).toBe(false);
    expect(canPerformSensitiveAction(['User Administrator'], ['Global Administrator'])).toBe(false);
  });

  it('lets only RoleManagement.ReadWrite.Directory or role admins touch role-assignable groups', () => {
    expect(canManageRoleAssignableGroup(['User Administrator'], ['GroupMember.ReadWrite.All'])).toBe(false);
    expect(canManageRoleAssignableGroup([], ['RoleManagement.ReadWrite.Directory'])).toBe(true);
    expect(canManageRoleAssignableGroup(['Privileged Role Administrator'], [])).toBe(true);
  });
});

describe('fault rule matching', () => {
  it('matches globs with and without the version, by method, and counts down', () => {
    const f = new FaultInjector();
    f.add({ method: 'POST', path: '/groups/*/members/$ref', status: 503, count: 1 });
    expect(f.decide('GET', 'v1.0', '/groups/g1/members/$ref').error).toBeUndefined();
    expect(f.decide('POST', 'v1.0', '/groups/g1/members/$ref').error?.status).toBe(503);
    expect(f.decide('POST', 'v1.0', '/groups/g1/members/$ref').error).toBeUndefined();
    f.add({ path: '/v1.0/users/**', status: 504 });
    expect(f.decide('GET', 'v1.0', '/users/a/authentication/methods').error?.status).toBe(504);
    expect(f.decide('GET', 'beta', '/users/a').error).toBeUndefined();
    expect(f.list().rules[0]?.remaining).toBe(0);
  });

  it('refuses rules it cannot honour', () => {
    const f = new FaultInjector();
    expect(() => f.add({ status: 500 as 503 })).toThrow();
    expect(() => f.add({ status: 429, probability: 2 })).toThrow();
    expect(() => f.add({ path: '/users' })).toThrow('a fault rule needs a status, a latencyMs, or both');
  });
});
