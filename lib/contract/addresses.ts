import { accept, reject, type Coerced } from './problem.js';

/**
 * Syntax checks for user principal names and e-mail addresses. They catch what a person mistypes in a
 * ticket (spaces, missing @, stray characters) before any Graph call, and say exactly what is wrong.
 */

/**
 * Characters accepted in the part of a UPN before the @: Entra's documented set (letters, digits and
 * ' . - _ ! # ^ ~) plus `$`, because real tenants hold UPNs that start with `$` and Graph documents how to
 * address them (`/users('$x@contoso.com')`, https://learn.microsoft.com/graph/api/user-get?view=graph-rest-1.0
 * — the TIP under "HTTP request"); lib/graph/path.ts userPath() builds that form. Issue 11 item 12.
 */
const UPN_LOCAL_ALLOWED = /^[A-Za-z0-9'.\-_!#^~$]$/;
/** RFC 5322 "atext" plus dots: what an SMTP address may carry before the @ (no quoted forms). */
const EMAIL_LOCAL_ALLOWED = /^[A-Za-z0-9!#$%&'*+\/=?^_`{|}~.\-]$/;
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `a control character (U+${code.toString(16).padStart(4, '0').toUpperCase()})`;
  return `"${ch}"`;
}

function checkDomain(domain: string, what: string): string | undefined {
  if (domain.length === 0) return `${what} has nothing after the @`;
  if (domain.length > 253) return `${what} has a domain longer than 253 characters`;
  const labels = domain.split('.');
  if (labels.length < 2) return `${what} has domain "${domain}" without a dot (expected something like contoso.com)`;
  for (const label of labels) {
    if (label.length === 0) return `${what} has domain "${domain}" with an empty part (two dots in a row, or a dot at the start or end)`;
    if (!DOMAIN_LABEL.test(label)) {
      return `${what} has domain "${domain}" with an invalid part "${label}" (only letters, digits and inner hyphens are allowed)`;
    }
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(tld)) return `${what} has domain "${domain}" whose last part "${tld}" is not a top-level domain`;
  return undefined;
}

function checkAddress(raw: string, kind: 'upn' | 'email', what: string): string | undefined {
  if (/\s/.test(raw)) return `${what} contains ${describeChar(raw.match(/\s/)?.[0] ?? ' ')}`;
  const at = raw.split('@');
  if (at.length === 1) return `${what} has no @ (expected name@domain)`;
  if (at.length > 2) return `${what} has more than one @`;
  const local = at[0] ?? '';
  const domain = at[1] ?? '';
  if (local.length === 0) return `${what} has nothing before the @`;
  const maxLocal = 64;
  if (local.length > maxLocal) return `${what} has ${local.length} characters before the @ (at most ${maxLocal})`;
  const allowed = kind === 'upn' ? UPN_LOCAL_ALLOWED : EMAIL_LOCAL_ALLOWED;
  for (const ch of local) {
    if (!allowed.test(ch)) return `${what} contains ${describeChar(ch)} before the @, which is not allowed`;
  }
  if (local.startsWith('.') || local.endsWith('.')) return `${what} starts or ends with a dot before the @`;
  if (local.includes('..')) return `${what} has two dots in a row before the @`;
  return checkDomain(domain, what);
}

/** A UPN: local@domain, Entra's allowed characters, no spaces. Returned trimmed, case kept. */
export function coerceUpn(raw: string, label = 'The user principal name'): Coerced<string> {
  const problem = checkAddress(raw, 'upn', label);
  if (problem) {
    return reject(
      `${problem}.`,
      'Use the user principal name exactly as shown in the Microsoft 365 admin center, e.g. jane.doe@contoso.com.',
    );
  }
  return accept(raw);
}

/** An SMTP address (mailbox, forwarding target, manager). Returned trimmed, case kept. */
export function coerceEmail(raw: string, label = 'The e-mail address'): Coerced<string> {
  const problem = checkAddress(raw, 'email', label);
  if (problem) return reject(`${problem}.`, 'Give a full e-mail address such as jane.doe@contoso.com.');
  return accept(raw);
}
