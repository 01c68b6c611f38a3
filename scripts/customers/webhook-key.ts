import { createHash, randomBytes } from 'node:crypto';

/**
 * A customer's webhook key. The key is 32 random bytes, shown once (in the URL customer:add prints) and stored
 * nowhere: the registry keeps only its SHA-256 (`WebhookKeyHash`, a verifier from which the key cannot be
 * recovered) and a short key id. The router hashes the key a request carries and compares it with the registry row
 * of the customer named in the path (infra/README.md, "msp mode"). A lost URL is replaced by removing and adding the
 * customer again.
 */
export interface WebhookKey {
  keyId: string;
  /** base64url; only ever in memory and in the one printed URL. */
  key: string;
  /** SHA-256 of the key's UTF-8 text, hex. */
  verifier: string;
}

export function keyVerifier(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newWebhookKey(random: (size: number) => Buffer = randomBytes): WebhookKey {
  const key = random(32).toString('base64url');
  return { keyId: random(6).toString('hex'), key, verifier: keyVerifier(key) };
}

/**
 * The customer's URL: the router's callback URL (its SAS query kept as Logic Apps gives it) plus two query parameters,
 * `customer` (the customer id) and `customerKey`. Query parameters reach the workflow as `triggerOutputs()['queries']`
 * (Learn: "Accept values through GET parameters",
 * https://learn.microsoft.com/azure/logic-apps/logic-apps-http-endpoint#accept-values-through-get-parameters), so the
 * router keeps one Request trigger without a relative path and serves customer mode (no parameters) and msp mode alike.
 * The router's trigger outputs are secured, so the key never shows in run history (docs/msp-mode.md).
 */
export function customerWebhookUrl(routerCallbackUrl: string, customerId: string, key: string): string {
  const url = new URL(routerCallbackUrl);
  url.searchParams.set('customer', customerId);
  url.searchParams.set('customerKey', key);
  return url.toString();
}
