import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `sp` (permissions path) a Request trigger's callback URL carries. */
export function triggerPermissionPath(trigger: string): string {
  return `/triggers/${trigger}/run`;
}

/** SAS signature: HMAC-SHA256 of the `sp` value keyed with the workflow access key, base64url as Azure prints it. */
export function signPath(key: string, sp: string): string {
  return createHmac('sha256', key).update(sp, 'utf8').digest('base64url');
}

/** Constant-time check of `sig` against each key (primary and secondary both stay valid). */
export function signatureMatches(keys: readonly string[], sp: string, sig: string): boolean {
  const given = Buffer.from(sig, 'utf8');
  let ok = false;
  for (const key of keys) {
    const expected = Buffer.from(signPath(key, sp), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
