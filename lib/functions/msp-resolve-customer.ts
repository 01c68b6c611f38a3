import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { loadSettings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
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
const bodySchema = z.object({ customerId: z.string().trim().max(64), customerKey: z.string().max(200) });

/** The router sends '' for a query parameter the URL lacks: a customer-mode URL pasted into an msp deployment. */
function missingPart(body: { customerId: string; customerKey: string }): AppError | undefined {
  const missing = [body.customerId === '' ? 'customer' : '', body.customerKey === '' ? 'customerKey' : ''].filter(Boolean);
  if (missing.length === 0) return undefined;
  return new AppError({
    code: body.customerId === '' ? 'unknown_customer' : 'bad_customer_key',
    message: `The webhook URL has no ${missing.join(' and no ')} query parameter, so this deployment cannot tell which customer the request is for.`,
    status: 403,
    fix: "Paste the customer's full webhook URL, as `npm run customer:add` printed it, into Thread. It ends in `&customer=<id>&customerKey=<key>`.",
    step: 'resolve_customer',
    ...(body.customerId ? { details: { customerId: body.customerId } } : {}),
  });
}

export const mspResolveCustomer: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'msp/resolve-customer',
  authLevel: 'anonymous',
  handler: helper({ step: 'resolve_customer' }, async (request) => {
    const settings = loadSettings();
    requireMspMode(settings, 'resolve_customer');
    const body = await readBody(request, bodySchema, 'resolve_customer');
    const missing = missingPart(body);
    if (missing) throw missing;
    const row = await verifyCustomerKey(customerRegistryFromSettings(settings), body.customerId, body.customerKey);
    return json(200, {
      customer: { id: row.id, displayName: row.displayName, tenantId: row.tenantId, exchangeOrganization: row.exchangeOrganization, domains: row.domains },
    });
  }),
};

app.http('mspResolveCustomer', mspResolveCustomer);
