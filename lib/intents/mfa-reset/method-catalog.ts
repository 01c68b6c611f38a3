import type { MfaMethod } from './schema.js';

/**
 * Every authentication method type Graph v1.0 can delete, keyed by its `@odata.type`
 * (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview): the ticket's method kind, the per-type DELETE segment
 * (the generic /authentication/methods/{id} DELETE is not routable) and the removal rank.
 *
 * Rank = removal order, lowest first. Graph refuses to delete the user's default method while
 * others remain. The plan reads the default from beta signInPreferences (v1.0 cannot) and puts it
 * last; when that read is unavailable, the methods people most often have as default (Authenticator
 * push, then the mobile phone) go last, and the workflow retries any method refused as "default"
 * once the others are gone. Phones go office → alternateMobile →
 * mobile because an alternate mobile cannot exist without the mobile number.
 */
export interface MethodType {
  kind: Exclude<MfaMethod, 'All'>;
  segment: string;
  rank: number;
}

export const PASSWORD_METHOD_TYPE = '#microsoft.graph.passwordAuthenticationMethod';

export const METHOD_TYPES: Readonly<Record<string, MethodType>> = {
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': { kind: 'Temporary Access Pass', segment: 'temporaryAccessPassMethods', rank: 10 },
  '#microsoft.graph.emailAuthenticationMethod': { kind: 'Email', segment: 'emailMethods', rank: 20 },
  '#microsoft.graph.platformCredentialAuthenticationMethod': { kind: 'Platform Credential', segment: 'platformCredentialMethods', rank: 30 },
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': { kind: 'Windows Hello', segment: 'windowsHelloForBusinessMethods', rank: 40 },
  '#microsoft.graph.fido2AuthenticationMethod': { kind: 'FIDO2', segment: 'fido2Methods', rank: 50 },
  '#microsoft.graph.softwareOathAuthenticationMethod': { kind: 'Software OATH', segment: 'softwareOathMethods', rank: 60 },
  '#microsoft.graph.phoneAuthenticationMethod': { kind: 'Phone', segment: 'phoneMethods', rank: 70 },
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': { kind: 'Authenticator', segment: 'microsoftAuthenticatorMethods', rank: 90 },
};

const PHONE_RANK: Readonly<Record<string, number>> = { office: 0, alternateMobile: 1, mobile: 2 };

export function methodType(odataType: unknown): MethodType | undefined {
  if (typeof odataType !== 'string' || !Object.prototype.hasOwnProperty.call(METHOD_TYPES, odataType)) return undefined;
  return METHOD_TYPES[odataType];
}

/** Removal rank of one listed method (phones ordered among themselves). */
export function removalRank(type: MethodType, phoneType: unknown): number {
  if (type.kind !== 'Phone') return type.rank;
  return type.rank + (typeof phoneType === 'string' ? (PHONE_RANK[phoneType] ?? 0) : 0);
}

/** Short name for an unknown type, e.g. "#microsoft.graph.hardwareOathAuthenticationMethod" → "hardwareOath". */
export function shortTypeName(odataType: unknown): string {
  const raw = typeof odataType === 'string' ? odataType : 'unknown';
  return raw.replace(/^#microsoft\.graph\./, '').replace(/AuthenticationMethod$/, '') || raw;
}
