import { describe, expect, it } from 'vitest';
import { requestAddresses, requestCustomerSchema, requireRequestInCustomerTenant } from '../../../lib/msp/request-customer.js';
import { AppError } from '../../../lib/errors/app-error.js';

/** Isolation of addresses between customers (issue 13 item 4; docs/msp-mode.md "Isolation of addresses"). */
const contoso = requestCustomerSchema.parse({
  id: 'contoso',
  displayName: 'Contoso',
  tenantId: '11111111-1111-1111-1111-111111111111',
  exchangeOrganization: 'contoso.onmicrosoft.com',
  domains: ['contoso.com'],
});

function refusal(run: () => void): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('requestAddresses', () => {
  it('leaves out addresses the plan judges itself: forwarding (may be external by policy) and a new sign-in name', () => {
    expect(requestAddresses('user-offboarding', { userEmail: 'a@contoso.com', forwardTo: 'x@elsewhere.example' })).toEqual([{ field: 'User Email', address: 'a@contoso.com' }]);
    expect(requestAddresses('new-user-creation', { userPrincipalName: 'new@contoso.com', managerEmail: 'boss@contoso.com', displayName: 'N' })).toEqual([{ field: 'Manager Email', address: 'boss@contoso.com' }]);
  });

  it('lists every address field of the intent and group names that are addresses', () => {
    expect(requestAddresses('user-offboarding', { userEmail: 'a@contoso.com', managerAccess: 'm@contoso.com', revokeSessions: true })).toEqual([
      { field: 'User Email', address: 'a@contoso.com' },
      { field: 'Manager Access', address: 'm@contoso.com' },
    ]);
    expect(requestAddresses('add-user-to-group', { userEmail: 'a@contoso.com', groupNames: ['Finance', 'sales@contoso.com'] })).toEqual([
      { field: 'User Email', address: 'a@contoso.com' },
      { field: 'Group Names', address: 'sales@contoso.com' },
    ]);
  });
});

describe('requireRequestInCustomerTenant', () => {
  it("passes a request whose addresses are all the customer's (any case, initial domain included)", () => {
    expect(() =>
      requireRequestInCustomerTenant({ intent: 'shared-mailbox-permission', fields: { sharedMailboxEmail: 'info@contoso.onmicrosoft.com', userEmail: 'Adele@Contoso.com' }, customer: contoso }),
    ).not.toThrow();
  });

  it("refuses a Fabrikam address in a Contoso ticket with 400 address_outside_tenant, naming the field and Contoso's domains", () => {
    const err = refusal(() => requireRequestInCustomerTenant({ intent: 'password-reset', fields: { userEmail: 'adele.vance@fabrikam.com' }, customer: contoso }));
    expect(err.status).toBe(400);
    expect(err.code).toBe('address_outside_tenant');
    expect(err.message).toContain('User Email "adele.vance@fabrikam.com" is not in Contoso');
    expect(err.message).toContain('Nothing was changed');
    expect(err.details).toMatchObject({ customerId: 'contoso', allowedDomains: ['contoso.com', 'contoso.onmicrosoft.com'] });
  });

  it('refuses a group address of another tenant and a look-alike subdomain', () => {
    expect(refusal(() => requireRequestInCustomerTenant({ intent: 'add-user-to-group', fields: { userEmail: 'a@contoso.com', groupNames: ['all@fabrikam.com'] }, customer: contoso })).code).toBe('address_outside_tenant');
    expect(refusal(() => requireRequestInCustomerTenant({ intent: 'mfa-reset', fields: { userEmail: 'a@mail.contoso.com' }, customer: contoso })).code).toBe('address_outside_tenant');
  });

  it('customer mode (no customer, or the empty id the router sends) checks nothing', () => {
    expect(() => requireRequestInCustomerTenant({ intent: 'password-reset', fields: { userEmail: 'a@anywhere.example' } })).not.toThrow();
    const none = requestCustomerSchema.parse({ id: '', displayName: '', tenantId: '', exchangeOrganization: '', domains: [] });
    expect(() => requireRequestInCustomerTenant({ intent: 'password-reset', fields: { userEmail: 'a@anywhere.example' }, customer: none })).not.toThrow();
  });
});
