import type { TokenCredential } from '@azure/identity';

/**
 * Wraps a TokenCredential for Graph: one token per scope, reused until five minutes before expiry,
 * with concurrent callers sharing one in-flight request (a burst of parallel look-ups must not
 * hammer the identity endpoint).
 */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const REFRESH_MARGIN_MS = 5 * 60_000;

export function cachedTokenProvider(credential: TokenCredential, scope: string = GRAPH_SCOPE): () => Promise<string> {
  let cached: { token: string; expiresOn: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (cached && cached.expiresOn - REFRESH_MARGIN_MS > Date.now()) return cached.token;
    pending ??= credential
      .getToken(scope)
      .then((result) => {
        if (!result) throw Object.assign(new Error('The credential returned no token.'), { name: 'CredentialUnavailableError' });
        cached = { token: result.token, expiresOn: result.expiresOnTimestamp };
        return result.token;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
