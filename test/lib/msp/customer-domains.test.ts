import { describe, expect, it } from 'vitest';
import { addressInCustomerDomains, requireAddressInCustomerDomains } from '../../../lib/msp/customer-domains.js';

/** Issue 13 isolation: an address in another customer's verified domain is refused before any look-up. */
const contoso = { id: 'contosocorp', displayName: 'Contoso Corp', domains: ['contoso.com', 'Sales.Contoso.com'], exchangeOrganization: 'contosocorp.onmicrosoft.com' };

describe('addressInCustomerDomains', () => {
  it('accepts the verified domains and the initial domain, ignoring case', () => {
    expect(addressInCustomerDomains('Adele.Vance@CONTOSO.com', contoso)).toBe(true);
    expect(addressInCustomerDomains('x@sales.contoso.com', contoso)).toBe(true);
    expect(addressInCustomerDomains('x@contosocorp.onmicrosoft.com', contoso)).toBe(true);
  });

  it("refuses another customer's domain, unverified subdomains, look-alikes and non-addresses", () => {
    expect(addressInCustomerDomains('adele.vance@fabrikam.com', contoso)).toBe(false);
    expect(addressInCustomerDomains('x@it.contoso.com', contoso)).toBe(false);
    expect(addressInCustomerDomains('x@contoso.com.evil.example', contoso)).toBe(false);
    expect(addressInCustomerDomains('x@evilcontoso.com', contoso)).toBe(false);
    expect(addressInCustomerDomains('contoso.com', contoso)).toBe(false);
    expect(addressInCustomerDomains('x@', contoso)).toBe(false);
  });

  it('the refusal is 400 address_outside_tenant and names the allowed domains', () => {
    let caught: unknown;
    try {
      requireAddressInCustomerDomains('adele.vance@fabrikam.com', contoso, 'User Email');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'address_outside_tenant', status: 400, details: { field: 'User Email', allowedDomains: ['contoso.com', 'sales.contoso.com', 'contosocorp.onmicrosoft.com'] } });
    expect((caught as Error).message).toContain('contoso.com, sales.contoso.com, contosocorp.onmicrosoft.com');
    expect(() => requireAddressInCustomerDomains('a@contoso.com', contoso, 'User Email')).not.toThrow();
  });
});
