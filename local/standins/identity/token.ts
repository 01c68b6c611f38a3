import { createHmac, randomUUID } from 'node:crypto';

/**
 * Access tokens minted by the local managed-identity stand-in and accepted by the other stand-ins.
 *
 * They are real JWTs (HS256 over a key that only local processes share) so that code which decodes
 * tokens, as Microsoft's clients do, behaves as it would against Entra ID.
 */
export interface LocalTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  /** Object id of the calling identity (the Logic App's or the Function App's managed identity). */
  oid: string;
  appid: string;
  iat: number;
  nbf: number;
  exp: number;
  idtyp: 'app';
  /** Application permissions, as Graph app-only tokens carry them. */
  roles?: string[];
}

export const LOCAL_TENANT_ID = '11111111-2222-3333-4444-555555555555';
const LOCAL_SIGNING_KEY = 'thread-intent-runner-local-signing-key';

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function mintLocalToken(claims: Partial<LocalTokenClaims> & { aud: string; oid: string }, lifetimeSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const body: LocalTokenClaims = {
    iss: `https://sts.windows.net/${LOCAL_TENANT_ID}/`,
    tid: LOCAL_TENANT_ID,
    appid: claims.appid ?? randomUUID(),
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    idtyp: 'app',
    ...claims,
  };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(body));
  const sig = createHmac('sha256', LOCAL_SIGNING_KEY).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${sig}`;
}

export type TokenCheck =
  | { ok: true; claims: LocalTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'wrong-audience' };

/** Verifies a bearer token minted by mintLocalToken. `audiences` are compared ignoring one trailing slash. */
export function verifyLocalToken(authorization: string | undefined, audiences: readonly string[]): TokenCheck {
  if (!authorization) return { ok: false, reason: 'missing' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  const parts = match[1].split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [head, payload, sig] = parts as [string, string, string];
  const expected = createHmac('sha256', LOCAL_SIGNING_KEY).update(`${head}.${payload}`).digest('base64url');
  if (expected !== sig) return { ok: false, reason: 'bad-signature' };
  let claims: LocalTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LocalTokenClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.exp * 1000 < Date.now()) return { ok: false, reason: 'expired' };
  const norm = (s: string) => s.replace(/\/$/, '').toLowerCase();
  if (!audiences.map(norm).includes(norm(claims.aud))) return { ok: false, reason: 'wrong-audience' };
  return { ok: true, claims };
}
