import { AppError } from '../errors/app-error.js';
import type { CustomerRow } from './customer-row.js';

/**
 * Isolation between customers in msp mode: a user or group address named in a ticket must lie in one of the
 * customer's own verified domains (or its initial <name>.onmicrosoft.com domain), so a ticket of customer A
 * that names an address of customer B is refused before anything is looked up. Pure: plan helpers call it.
 * Domains compare ignoring case; a subdomain counts only when it is itself verified, as in Microsoft 365.
 */
export type CustomerDomains = Pick<CustomerRow, 'id' | 'displayName' | 'domains' | 'exchangeOrganization'>;

export function customerDomainList(customer: CustomerDomains): string[] {
  const all = [...customer.domains, customer.exchangeOrganization].map((d) => d.trim().toLowerCase()).filter(Boolean);
  return [...new Set(all)];
}

function domainOf(address: string): string | undefined {
  const at = address.trim().lastIndexOf('@');
  if (at <= 0 || at === address.trim().length - 1) return undefined;
  return address.trim().slice(at + 1).toLowerCase().replace(/\.$/, '');
}

/** Whether the address's domain is one of the customer's domains. */
export function addressInCustomerDomains(address: string, customer: CustomerDomains): boolean {
  const domain = domainOf(address);
  return domain !== undefined && customerDomainList(customer).includes(domain);
}

/** Throws 400 address_outside_tenant naming the allowed domains unless the address is the customer's. */
export function requireAddressInCustomerDomains(address: string, customer: CustomerDomains, field: string, step = 'check_customer_domain'): void {
  if (addressInCustomerDomains(address, customer)) return;
  const allowed = customerDomainList(customer);
  throw new AppError({
    code: 'address_outside_tenant',
    message: `${field} "${address}" is not in ${customer.displayName}'s Microsoft 365 tenant, whose domains are ${allowed.join(', ')}. Nothing was changed.`,
    status: 400,
    fix: `Check that the ticket was sent for the right customer and that ${field} ends in one of: ${allowed.join(', ')}. The domains are those the customer's tenant had verified at onboarding (\`npm run customer:list\` shows them).`,
    step,
    details: { field, allowedDomains: allowed, customerId: customer.id },
  });
}
