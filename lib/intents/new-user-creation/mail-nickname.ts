/**
 * The mailNickname (Exchange alias) of a new account, from the UPN's local part, cleaned: the local part
 * unchanged may hold characters Graph rejects for mailNickname (https://learn.microsoft.com/graph/api/resources/user).
 * Graph accepts letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~ and dots;
 * an alias also must not start or end with a dot nor hold two in a row, and is at most 64 characters.
 */
const ALLOWED = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/;
export const MAIL_NICKNAME_MAX = 64;

export function sanitiseMailNickname(userPrincipalName: string): string {
  const at = userPrincipalName.lastIndexOf('@');
  const local = at >= 0 ? userPrincipalName.slice(0, at) : userPrincipalName;
  // Accented letters become their base letter (é → e) rather than vanishing.
  const folded = local.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const kept = [...folded].filter((c) => ALLOWED.test(c)).join('');
  return kept.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '').slice(0, MAIL_NICKNAME_MAX).replace(/\.+$/, '');
}
