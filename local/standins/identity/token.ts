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
  /** Directory role template ids assigned to the calling service principal (sign-in stand-in tokens). */
  wids?: string[];
  /** Client id of the calling application (v2.0 tokens; the sign-in stand-in sets it next to `appid`). */
  azp?: string;
  /** Subject: the calling principal's object id (managed-identity assertions use it as the federated subject). */
  sub?: string;
  /** Token version: '1.0' for resource tokens, '2.0' for the federation assertion. */
  ver?: string;
}

/** The customer-mode tenant: every managed-identity token of the local system carries it unless told otherwise. */
export const LOCAL_TENANT_ID = '11111111-2222-3333-4444-555555555555';
const LOCAL_SIGNING_KEY = 'thread-intent-runner-local-signing-key';

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export function mintLocalToken(claims: Partial<LocalTokenClaims> & { aud: string; oid: string }, lifetimeSeconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const tid = claims.tid ?? LOCAL_TENANT_ID;
  const body: LocalTokenClaims = {
    iss: `https://sts.windows.net/${tid}/`,
    tid,
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
  | { ok: false; reason: TokenFailure };

export type TokenFailure = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'wrong-audience' | 'wrong-tenant';

/** Verifies a bearer token minted by mintLocalToken. `audiences` are compared ignoring one trailing slash. */
export function verifyLocalToken(authorization: string | undefined, audiences: readonly string[]): TokenCheck {
  if (!authorization) return { ok: false, reason: 'missing' };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  return verifyJwt(match[1], audiences);
}

/** Verifies a bare JWT (no `Bearer `), e.g. a client assertion sent in a form field; 'any' skips the audience check. */
export function verifyJwt(jwt: string, audiences: readonly string[] | 'any'): TokenCheck {
  const parts = jwt.split('.');
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
  if (audiences !== 'any' && !audiences.map(norm).includes(norm(claims.aud))) return { ok: false, reason: 'wrong-audience' };
  return { ok: true, claims };
}

/** What a stand-in requires of a caller's token besides a valid signature and lifetime. */
export interface StandInTokenExpectations {
  /** Accepted `aud` values (one trailing slash ignored, case-insensitive). */
  audiences: readonly string[];
  /** When set, the token's `tid` must be one of these tenants (a token for another tenant is refused). */
  tenants?: readonly string[];
}

/**
 * The check every stand-in applies to a bearer token from the local identity or sign-in stand-in: signature,
 * lifetime, audience and, when asked, tenant. The claims tell the caller which tenant (`tid`), app (`appid`),
 * service principal (`oid`), application permissions (`roles`) and directory roles (`wids`) the token carries.
 */
export function verifyStandInToken(authorization: string | undefined, expect: StandInTokenExpectations): TokenCheck {
  const check = verifyLocalToken(authorization, expect.audiences);
  if (!check.ok || !expect.tenants) return check;
  const tid = check.claims.tid.toLowerCase();
  return expect.tenants.some((t) => t.toLowerCase() === tid) ? check : { ok: false, reason: 'wrong-tenant' };
}
