import { errors, GraphError } from '../errors.js';

/** Input checks shared by user create and update, with Graph's wording. */

export function invalidProperty(prop: string, resource = 'User'): GraphError {
  return errors.badRequest(`Invalid value specified for property '${prop}' of resource '${resource}'.`);
}

export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return body as Record<string, unknown>;
}

export function unknownProperty(prop: string, typeName: string): GraphError {
  return new GraphError(
    400,
    'BadRequest',
    `The property '${prop}' does not exist on type '${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
  );
}

export function expectBoolean(value: unknown): boolean {
  if (typeof value !== 'boolean') throw errors.bodyRead(`Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.`);
  return value;
}

export function expectString(value: unknown, prop: string, resource = 'User'): string {
  if (typeof value !== 'string') throw invalidProperty(prop, resource);
  return value;
}

/** Entra: 8–256 characters and at least three of upper, lower, digit, symbol. */
export function checkPasswordComplexity(password: unknown): void {
  const complexity = errors.badRequest('The specified password does not comply with password complexity requirements. Please provide a different password.');
  if (typeof password !== 'string' || password.length < 8 || password.length > 256) throw complexity;
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) throw complexity;
}

const UPN_LOCAL = /^[A-Za-z0-9'._\-!#^~]+$/;

export function splitUpn(upn: string): { local: string; domain: string } {
  const at = upn.lastIndexOf('@');
  const local = upn.slice(0, at);
  const domain = upn.slice(at + 1);
  if (at <= 0 || !UPN_LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || !/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(domain)) {
    throw errors.badRequest('Property userPrincipalName is invalid.');
  }
  return { local, domain };
}

export function checkMailNickname(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64 || !/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/.test(value)) {
    throw invalidProperty('mailNickname');
  }
  return value;
}

export function checkUsageLocation(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value)) throw invalidProperty('usageLocation');
  return value.toUpperCase();
}
