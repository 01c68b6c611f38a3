import { randomBytes, randomUUID } from 'node:crypto';
import { errors, GraphError } from '../errors.js';
import { contextUrl, noContent, ok, type GraphCall, type GraphResult } from '../http-types.js';
import type { Route } from '../router.js';
import type { AuthMethodType } from '../tenant/fixture-schema.js';
import { PASSWORD_METHOD_ID, type AuthMethodRecord, type UserRecord } from '../tenant/state.js';
import { userByKey } from './resolve.js';

/**
 * Authentication methods (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview): list, per-type list/get/delete,
 * the default-method rule, the undeletable password method and the unroutable generic DELETE.
 */

interface TypeInfo {
  segment: string;
  odataType: string;
}

const TYPES: Record<AuthMethodType | 'password', TypeInfo> = {
  phone: { segment: 'phoneMethods', odataType: '#microsoft.graph.phoneAuthenticationMethod' },
  microsoftAuthenticator: { segment: 'microsoftAuthenticatorMethods', odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod' },
  fido2: { segment: 'fido2Methods', odataType: '#microsoft.graph.fido2AuthenticationMethod' },
  softwareOath: { segment: 'softwareOathMethods', odataType: '#microsoft.graph.softwareOathAuthenticationMethod' },
  temporaryAccessPass: { segment: 'temporaryAccessPassMethods', odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod' },
  windowsHelloForBusiness: { segment: 'windowsHelloForBusinessMethods', odataType: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod' },
  email: { segment: 'emailMethods', odataType: '#microsoft.graph.emailAuthenticationMethod' },
  platformCredential: { segment: 'platformCredentialMethods', odataType: '#microsoft.graph.platformCredentialAuthenticationMethod' },
  password: { segment: 'passwordMethods', odataType: '#microsoft.graph.passwordAuthenticationMethod' },
};

/** The resource shape of each method type; secrets (TAP, OATH key, password) always read as null. */
function methodView(m: AuthMethodRecord): Record<string, unknown> {
  const base = { '@odata.type': TYPES[m.type].odataType, id: m.id };
  switch (m.type) {
    case 'phone':
      return { ...base, phoneNumber: m.phoneNumber ?? null, phoneType: m.phoneType ?? null, smsSignInState: 'notAllowedByPolicy' };
    case 'microsoftAuthenticator':
      return { ...base, displayName: m.displayName ?? null, deviceTag: m.deviceTag ?? 'SoftwareTokenActivated', phoneAppVersion: m.phoneAppVersion ?? null, createdDateTime: m.createdDateTime };
    case 'fido2':
      return { ...base, displayName: m.displayName ?? null, creationDateTime: m.createdDateTime, aaGuid: m.aaGuid ?? null, model: m.model ?? null, attestationCertificates: [], attestationLevel: 'attested' };
    case 'softwareOath':
      return { ...base, secretKey: null };
    case 'temporaryAccessPass':
      return {
        ...base,
        temporaryAccessPass: null,
        createdDateTime: m.createdDateTime,
        startDateTime: m.createdDateTime,
        lifetimeInMinutes: m.lifetimeInMinutes ?? 60,
        isUsableOnce: m.isUsableOnce ?? true,
        isUsable: true,
        methodUsabilityReason: 'EnabledByPolicy',
      };
    case 'windowsHelloForBusiness':
      return { ...base, displayName: m.displayName ?? null, createdDateTime: m.createdDateTime, keyStrength: m.keyStrength ?? 'normal' };
    case 'email':
      return { ...base, emailAddress: m.emailAddress ?? null };
    case 'platformCredential':
      return { ...base, displayName: m.displayName ?? null, createdDateTime: m.createdDateTime, keyStrength: m.keyStrength ?? 'normal', platform: m.platform ?? 'macOS' };
  }
}

/** Guests authenticate in their home tenant: no password method here. */
function passwordView(user: UserRecord): Record<string, unknown> | undefined {
  if (user.userType === 'Guest') return undefined;
  return { '@odata.type': TYPES.password.odataType, id: PASSWORD_METHOD_ID, password: null, createdDateTime: user.passwordLastSetDateTime };
}

function methodNotFound(): GraphError {
  const message = 'The requested authentication method was not found.';
  return new GraphError(404, 'NotFound', message, { repeatMessageInInnerError: true });
}

function listAll(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const pw = passwordView(user);
  const value = [...(pw ? [pw] : []), ...user.authMethods.map(methodView)];
  return ok({ '@odata.context': contextUrl(call.version, `users('${user.id}')/authentication/methods`), value });
}

function getAny(call: GraphCall, key: string, id: string): GraphResult {
  const user = userByKey(call, key);
  if (id.toLowerCase() === PASSWORD_METHOD_ID) return ok(passwordView(user) ?? {});
  const m = user.authMethods.find((x) => x.id.toLowerCase() === id.toLowerCase());
  if (!m) throw methodNotFound();
  return ok(methodView(m));
}

/** DELETE /authentication/methods/{id} is not routable: the MFA back end answers outside Graph's envelope. */
function genericDelete(call: GraphCall, key: string, id: string): GraphResult {
  const user = userByKey(call, key);
  throw new GraphError(404, 'NotFound', 'No HTTP resource was found', {
    rawBody: {
      Message: `No HTTP resource was found that matches the request URI 'https://mface.windowsazure.com/odata/users('${user.id}@${call.state.tenantId}')/authentication/methods('${id}')'.`,
      MessageDetail: "No type was found that matches the controller named 'users'.",
    },
  });
}

function listType(call: GraphCall, key: string, type: AuthMethodType | 'password'): GraphResult {
  const user = userByKey(call, key);
  const ctx = contextUrl(call.version, `users('${user.id}')/authentication/${TYPES[type].segment}`);
  if (type === 'password') {
    const pw = passwordView(user);
    return ok({ '@odata.context': ctx, value: pw ? [pw] : [] });
  }
  return ok({ '@odata.context': ctx, value: user.authMethods.filter((m) => m.type === type).map(methodView) });
}

function findTyped(user: UserRecord, type: AuthMethodType, id: string): AuthMethodRecord {
  const m = user.authMethods.find((x) => x.type === type && x.id.toLowerCase() === id.toLowerCase());
  if (!m) throw methodNotFound();
  return m;
}

function deleteTyped(call: GraphCall, key: string, type: AuthMethodType, id: string): GraphResult {
  const user = userByKey(call, key);
  const m = findTyped(user, type, id);
  const others = user.authMethods.filter((x) => x !== m);
  if (m.isDefault && others.length > 0) {
    throw new GraphError(400, 'badRequest', 'Cannot delete default method with other methods configured. Please change default method before deletion.', {
      repeatMessageInInnerError: true,
    });
  }
  // alternateMobile can't exist without mobile (phoneauthenticationmethod-delete.md).
  if (m.type === 'phone' && m.phoneType === 'mobile' && others.some((x) => x.type === 'phone' && x.phoneType === 'alternateMobile')) {
    throw new GraphError(400, 'badRequest', 'Cannot delete the mobile phone method while an alternate mobile phone method is registered.', {
      repeatMessageInInnerError: true,
    });
  }
  user.authMethods = others;
  return noContent;
}

/** POST temporaryAccessPassMethods: the pass is shown once, in this response only (never on later reads). */
function createTap(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const body = (call.body ?? {}) as Record<string, unknown>;
  const lifetime = body.lifetimeInMinutes ?? 60;
  if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 10 || lifetime > 43200) {
    throw new GraphError(400, 'badRequest', 'The lifetime of the Temporary Access Pass is outside the range allowed by policy.', { repeatMessageInInnerError: true });
  }
  if (body.isUsableOnce !== undefined && typeof body.isUsableOnce !== 'boolean') throw errors.bodyRead(`Cannot convert the literal '${String(body.isUsableOnce)}' to the expected type 'Edm.Boolean'.`);
  if (user.authMethods.some((m) => m.type === 'temporaryAccessPass')) {
    throw new GraphError(400, 'badRequest', 'A user can only have one Temporary Access Pass. Delete the existing one before creating another.', { repeatMessageInInnerError: true });
  }
  const pass = randomBytes(12).toString('base64url').slice(0, 8);
  const record: AuthMethodRecord = {
    type: 'temporaryAccessPass',
    id: randomUUID(),
    isDefault: false,
    lifetimeInMinutes: lifetime,
    isUsableOnce: (body.isUsableOnce as boolean | undefined) ?? false,
    createdDateTime: new Date().toISOString(),
  };
  user.authMethods.push(record);
  return ok({ '@odata.context': contextUrl(call.version, `users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`), ...methodView(record), temporaryAccessPass: pass }, 201);
}

/** Password resets through the methods API are delegated-only: app tokens are refused. */
function resetPassword(call: GraphCall, key: string, id: string): GraphResult {
  userByKey(call, key);
  if (id.toLowerCase() !== PASSWORD_METHOD_ID) throw methodNotFound();
  throw errors.forbidden();
}

const typedRoutes: Route[] = (Object.keys(TYPES) as Array<AuthMethodType | 'password'>).flatMap((type): Route[] => {
  const base = `users/{user}/authentication/${TYPES[type].segment}`;
  const routes: Route[] = [
    { method: 'GET', pattern: base, handler: (c, p) => listType(c, p.user as string, type) },
    {
      method: 'GET',
      pattern: `${base}/{id}`,
      handler: (c, p) => (type === 'password' ? getAny(c, p.user as string, p.id as string) : ok(methodView(findTyped(userByKey(c, p.user as string), type, p.id as string)))),
    },
  ];
  if (type === 'temporaryAccessPass') routes.push({ method: 'POST', pattern: base, handler: (c, p) => createTap(c, p.user as string) });
  if (type === 'password') {
    routes.push({ method: 'POST', pattern: `${base}/{id}/resetPassword`, handler: (c, p) => resetPassword(c, p.user as string, p.id as string) });
  } else {
    routes.push({ method: 'DELETE', pattern: `${base}/{id}`, handler: (c, p) => deleteTyped(c, p.user as string, type, p.id as string) });
  }
  return routes;
});

/**
 * GET /beta/users/{id}/authentication/signInPreferences: the user's default second factor, which v1.0
 * cannot read (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview). Mapped from the method flagged isDefault in the fixture.
 */
function signInPreferences(call: GraphCall, key: string): GraphResult {
  if (call.version !== 'beta') throw errors.segmentNotFound('signInPreferences');
  const user = userByKey(call, key);
  const def = user.authMethods.find((m) => m.isDefault);
  const preferred =
    def?.type === 'microsoftAuthenticator'
      ? 'push'
      : def?.type === 'softwareOath'
        ? 'oath'
        : def?.type === 'phone'
          ? def.phoneType === 'alternateMobile'
            ? 'voiceAlternateMobile'
            : def.phoneType === 'office'
              ? 'voiceOffice'
              : 'sms'
          : 'none';
  return ok({
    '@odata.context': contextUrl(call.version, `users('${user.id}')/authentication/signInPreferences/$entity`),
    isSystemPreferredAuthenticationMethodEnabled: false,
    userPreferredMethodForSecondaryAuthentication: preferred,
    systemPreferredAuthenticationMethod: null,
  });
}

export const authMethodRoutes: Route[] = [
  { method: 'GET', pattern: 'users/{user}/authentication/signInPreferences', handler: (c, p) => signInPreferences(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/authentication/methods', handler: (c, p) => listAll(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/authentication/methods/{id}', handler: (c, p) => getAny(c, p.user as string, p.id as string) },
  { method: 'DELETE', pattern: 'users/{user}/authentication/methods/{id}', handler: (c, p) => genericDelete(c, p.user as string, p.id as string) },
  { method: 'POST', pattern: 'users/{user}/authentication/methods/{id}/resetPassword', handler: (c, p) => resetPassword(c, p.user as string, p.id as string) },
  ...typedRoutes,
];
