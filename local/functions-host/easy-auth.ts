import type { IncomingHttpHeaders } from 'node:http';
import { verifyLocalToken, type LocalTokenClaims } from '../standins/identity/token.js';

/**
 * App Service Authentication (Easy Auth) as the helpers app sees it: client-sent
 * x-ms-client-principal* headers are always removed; a bearer token is validated (audience = the
 * helpers app) and, when good, turned into the principal headers; a bad token is refused with 401
 * before the function runs; no token passes through without identity ("allow anonymous requests",
 * so anonymous functions such as the health probe and one-time links work).
 */
export type EasyAuthResult =
  | { ok: true; headers: Record<string, string>; claims?: LocalTokenClaims }
  | { ok: false; status: 401; reason: string };

export function applyEasyAuth(incoming: IncomingHttpHeaders, allowedAudience: string): EasyAuthResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || name.toLowerCase().startsWith('x-ms-client-principal')) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const authorization = headers.authorization;
  if (!authorization) return { ok: true, headers };
  const check = verifyLocalToken(authorization, [allowedAudience]);
  if (!check.ok) return { ok: false, status: 401, reason: check.reason };
  const { claims } = check;
  const principal = {
    auth_typ: 'aad',
    name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
    claims: [
      { typ: 'aud', val: claims.aud },
      { typ: 'iss', val: claims.iss },
      { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: claims.tid },
      { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: claims.oid },
      { typ: 'appid', val: claims.appid },
      { typ: 'idtyp', val: claims.idtyp },
      ...(claims.roles ?? []).map((role) => ({ typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', val: role })),
    ],
  };
  headers['x-ms-client-principal-id'] = claims.oid;
  headers['x-ms-client-principal-name'] = claims.appid;
  headers['x-ms-client-principal-idp'] = 'aad';
  headers['x-ms-client-principal'] = Buffer.from(JSON.stringify(principal)).toString('base64');
  return { ok: true, headers, claims };
}
