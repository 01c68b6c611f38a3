import type { RequestIds } from './errors.js';
import type { TenantState } from './tenant/state.js';

/** One Graph request as the resource modules see it (also used for $batch sub-requests). */
export interface GraphCall {
  method: string;
  version: 'v1.0' | 'beta';
  /** Decoded path segments after the version, `users('$x@y')` already split into ['users', '$x@y']. */
  segments: string[];
  /** Query options by lower-cased name ($filter, $select...), values decoded. */
  query: Map<string, string>;
  /** Query string as received, without '?'. */
  rawQuery: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there is none. */
  body: unknown;
  /** Where this stand-in is reachable (for @odata.nextLink), e.g. http://127.0.0.1:7081 */
  publicBase: string;
  /** Object id of the calling identity (the token's oid). */
  callerOid: string;
  /** What the caller holds right now: application permissions and Entra directory roles. */
  caller: CallerGrants;
  state: TenantState;
  /** Ids of the HTTP request this call belongs to ($batch items share their batch's ids). */
  requestIds: RequestIds;
}

/** The calling identity's grants, resolved per request (see authorization.ts). */
export interface CallerGrants {
  oid: string;
  /** The manifest identity (logicApp, helpers, ...) when the stand-in knows the oid. */
  identity?: string;
  /** Application permissions on Microsoft Graph. */
  appRoles: string[];
  /** Entra directory role display names. */
  directoryRoles: string[];
  /** False when the stand-in runs without a permissions manifest (nothing is checked). */
  enforced: boolean;
}

export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is a string (text/plain, e.g. /$count). */
  body?: unknown;
}

export type RouteParams = Record<string, string>;
export type RouteHandler = (call: GraphCall, params: RouteParams) => GraphResult | Promise<GraphResult>;

export const METADATA = 'https://graph.microsoft.com';

export function contextUrl(version: string, fragment: string): string {
  return `${METADATA}/${version}/$metadata#${fragment}`;
}

export function ok(body: unknown, status = 200, headers?: Record<string, string>): GraphResult {
  return headers ? { status, body, headers } : { status, body };
}

export const noContent: GraphResult = { status: 204 };
