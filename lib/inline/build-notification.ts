import { type InlineContext, asString, bodyOf, isRecord, ranAction } from './context.js';
import { safeHref } from './html.js';
import { renderNotification, type NotificationMail } from './notification-mail.js';
import type { RouterResponseBody } from './outcome.js';
import { requestFacts } from './request-facts.js';
import { ROUTER_ACTIONS } from './router-names.js';
import { runLink } from './run-link.js';

/**
 * Router `Build_notification`: the MSP's e-mail for a `failed` or `partial_success` outcome.
 * Every value is HTML-escaped (request data is attacker-controlled), and secret fields are never
 * rendered: only normalised fields whose names are not secret-like, and never the `result`
 * (it carries the one-time password link meant for the requester alone).
 */
export type Notification = NotificationMail;

/** Actions this code reads (JavaScriptCode `explicitDependencies`). */
export const dependsOn = {
  actions: [ROUTER_ACTIONS.validate, ROUTER_ACTIONS.buildResponse, ROUTER_ACTIONS.notificationContext, ROUTER_ACTIONS.customerContext],
  includeTrigger: true,
};

function readResponse(context: InlineContext): RouterResponseBody | undefined {
  const built = bodyOf(ranAction(context, ROUTER_ACTIONS.buildResponse));
  return isRecord(built) && isRecord(built.body) ? (built.body as unknown as RouterResponseBody) : undefined;
}

/**
 * msp mode: the customer the run was for, as the registry names it (Compose_customer_context, after the webhook URL's
 * key was checked), so the MSP sees at once whose tenant failed; Thread's company_name is what the ticket says.
 * Customer mode has no customer (empty id).
 */
function customerOf(context: InlineContext): { id: string; displayName: string } | undefined {
  const outputs = ranAction(context, ROUTER_ACTIONS.customerContext)?.outputs as unknown;
  const customer = isRecord(outputs) && isRecord(outputs.customer) ? outputs.customer : undefined;
  const id = asString(customer?.id);
  return id ? { id, displayName: asString(customer?.displayName) ?? id } : undefined;
}

export function main(context: InlineContext): Notification {
  const facts = requestFacts(context);
  const response = readResponse(context);
  const settingsBody = bodyOf(ranAction(context, ROUTER_ACTIONS.notificationContext));
  const settings = isRecord(settingsBody) ? settingsBody : {};
  const link = runLink(context, { subscriptionId: asString(settings.subscriptionId), resourceGroup: asString(settings.resourceGroup) });
  return renderNotification({
    status: response?.status ?? 'failed',
    message: response?.message ?? 'The request could not be carried out.',
    steps: response?.steps ?? [],
    error: response?.error,
    intentName: facts.intentName,
    ticketId: facts.ticketId,
    contactName: facts.contactName,
    contactEmail: facts.contactEmail,
    companyName: facts.companyName,
    customer: customerOf(context),
    fields: facts.fields,
    run: { label: link.label, href: link.url ? safeHref(link.url) : undefined },
  });
}
