/**
 * Microsoft Entra ID's cloud password rules: 8-256 characters from A-Z, a-z, 0-9, the listed symbols and
 * space, with at least three of the four classes (upper, lower, digit, symbol). Checked before Graph so
 * a weak "Temporary Password" is refused with a reason instead of a bare 400 from Graph.
 */
export const ENTRA_MIN_LENGTH = 8;
export const ENTRA_MAX_LENGTH = 256;
export const ENTRA_SYMBOLS = "@#$%^&*-_!+=[]{}|\\:',.?/`~\"();<> ";

export interface PolicyVerdict {
  ok: boolean;
  /** Reasons in plain words; they never contain the password itself. */
  reasons: string[];
}

export function checkEntraPassword(password: string): PolicyVerdict {
  const reasons: string[] = [];
  const length = [...password].length;
  if (length < ENTRA_MIN_LENGTH) reasons.push(`it has ${length} characters (at least ${ENTRA_MIN_LENGTH} are required)`);
  if (length > ENTRA_MAX_LENGTH) reasons.push(`it has ${length} characters (at most ${ENTRA_MAX_LENGTH} are allowed)`);
  let upper = false;
  let lower = false;
  let digit = false;
  let symbol = false;
  let foreign = false;
  for (const ch of password) {
    if (ch >= 'A' && ch <= 'Z') upper = true;
    else if (ch >= 'a' && ch <= 'z') lower = true;
    else if (ch >= '0' && ch <= '9') digit = true;
    else if (ENTRA_SYMBOLS.includes(ch)) symbol = true;
    else foreign = true;
  }
  if (foreign) reasons.push('it contains characters Entra ID does not accept (only A-Z, a-z, 0-9, common symbols and space)');
  const classes = [upper, lower, digit, symbol].filter(Boolean).length;
  if (classes < 3) {
    reasons.push(`it uses ${classes} of the 4 character kinds (upper case, lower case, digits, symbols); at least 3 are required`);
  }
  return { ok: reasons.length === 0, reasons };
}
