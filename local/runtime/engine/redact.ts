/** Value shown instead of credentials in recorded inputs (the wording Azure uses for sanitized secrets). */
export const SANITIZED = '*sanitized*';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-identity-header', 'x-functions-key', 'ocp-apim-subscription-key']);

/** Headers with credential values replaced, for run history. */
export function redactHeaders(headers: unknown): unknown {
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return headers;
  let copy: Record<string, unknown> | undefined;
  for (const k of Object.keys(headers)) {
    if (SECRET_HEADERS.has(k.toLowerCase())) {
      copy ??= { ...(headers as Record<string, unknown>) };
      copy[k] = SANITIZED;
    }
  }
  return copy ?? headers;
}

/** SAS parameters of a trigger URL never reach triggerOutputs()['queries'] (as in Azure). */
const SAS_QUERY = new Set(['api-version', 'sp', 'sv', 'sig', 'code']);

export function withoutSasQueries(queries: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(queries)) if (!SAS_QUERY.has(k.toLowerCase())) out[k] = v;
  return out;
}
