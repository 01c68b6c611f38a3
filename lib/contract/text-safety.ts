/**
 * Characters no field of Thread's webhook may carry, found before anything downstream trips over them:
 * - a lone UTF-16 surrogate (JSON allows "\ud800"; encodeURIComponent then throws URIError, UTF-8
 *   encoders replace it, and Table Storage refuses it) — issue 11 finding 6;
 * - control characters (U+0000–U+001F, U+007F–U+009F): they break HTTP headers (Node refuses them with
 *   ERR_INVALID_CHAR; RFC 9110 forbids CR/LF/NUL in field values,
 *   https://www.rfc-editor.org/rfc/rfc9110#section-5.5) and OData string literals — issue 11 finding 3.
 *   Multi-line free text (an auto-reply message) may keep tab, line feed and carriage return.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What is unsafe in `text`, as words for the technician ("a control character (U+000A)"), or undefined.
 * Never quotes the text itself, so it is safe for secret fields too.
 */
export function unsafeCharacter(text: string, options: { multiline?: boolean } = {}): string | undefined {
  const lone = LONE_SURROGATE.exec(text);
  if (lone) return `a broken Unicode character (an unpaired surrogate ${codePoint(lone[0])})`;
  const control = (options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).exec(text);
  if (control) return `a control character (${codePoint(control[0])})`;
  return undefined;
}

/** Whether a string has a lone surrogate (anywhere in a body, including ignored members and keys). */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}
