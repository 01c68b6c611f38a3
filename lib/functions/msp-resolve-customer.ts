import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { customerRegistryFromSettings, verifyCustomerKey } from '../msp/customer-registry.js';
import { requireMspMode } from '../msp/mode.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/msp/resolve-customer {customerId, customerKey} → 200 {customer: {id, displayName, tenantId,
 * exchangeOrganization, domains}}, or 403 unknown_customer / customer_removed / bad_customer_key. The router calls
 * it from its validation step in msp mode (the customer id and key come from the customer's webhook URL,
 * infra/README.md "Per-customer webhook URL"). The key is compared as its SHA-256, in constant time.
 */
const bodySchema = z.object({ customerId: z.string().trim().min(1).max(64), customerKey: z.string().min(1).max(200) });

export const mspResolveCustomer: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'msp/resolve-customer',
  authLevel: 'anonymous',
  handler: helper({ step: 'resolve_customer' }, async (request) => {
    const settings = loadSettings();
    requireMspMode(settings, 'resolve_customer');
    const body = await readBody(request, bodySchema, 'resolve_customer');
    const row = await verifyCustomerKey(customerRegistryFromSettings(settings), body.customerId, body.customerKey);
    return json(200, {
      customer: { id: row.id, displayName: row.displayName, tenantId: row.tenantId, exchangeOrganization: row.exchangeOrganization, domains: row.domains },
    });
  }),
};

app.http('mspResolveCustomer', mspResolveCustomer);
