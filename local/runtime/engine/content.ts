/**
 * How the Logic Apps engine holds HTTP content (https://learn.microsoft.com/azure/logic-apps/logic-apps-content-type):
 * JSON content types become JSON, text/plain stays a string, and every other content type is kept
 * as `{"$content-type": ..., "$content": <base64>}` so the bytes and their type survive the run and go out again
 * unchanged when an Http or Response action passes the body on.
 */

/** The `{"$content-type", "$content"}` envelope of non-JSON, non-text content. */
export interface BinaryContent {
  '$content-type': string;
  '$content': string;
  [extra: string]: unknown;
}

export function isBinaryContent(value: unknown): value is BinaryContent {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>)['$content'] === 'string' &&
    typeof (value as Record<string, unknown>)['$content-type'] === 'string'
  );
}

/** "Application/JSON; charset=utf-8" -> "application/json". */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isJsonMediaType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

/**
 * Text the engine keeps as a string: text/plain (Learn: text/plain is "stored in raw form"; every other type
 * keeps its `$content-type`, so text/html or text/csv passed on by a Response still goes out as such).
 * Inside a multipart body every text/* part is a string (observed on the real host: a "text/rust" part).
 */
export function isTextMediaType(contentType: string | undefined, anyText = false): boolean {
  const type = mediaType(contentType);
  return anyText ? type.startsWith('text/') : type === 'text/plain';
}

/** UTF-8 text without a leading byte-order mark (the host's readers skip it; JSON.parse would not). */
export function utf8Text(bytes: Buffer): string {
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}

export class InvalidJsonContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJsonContentError';
  }
}

/**
 * A body as the engine holds it. `invalidJson`: what JSON that does not parse becomes: the text
 * (an action's response) or an InvalidJsonContentError (a trigger request, which the host answers 400).
 */
export function contentBody(bytes: Buffer, contentType: string | undefined, opts: { invalidJson: 'text' | 'error'; anyText?: boolean }): unknown {
  if (bytes.length === 0) return undefined;
  if (isJsonMediaType(contentType)) {
    const text = utf8Text(bytes);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      if (opts.invalidJson === 'text') return text;
      throw new InvalidJsonContentError(err instanceof Error ? err.message : String(err));
    }
  }
  if (isTextMediaType(contentType, opts.anyText)) return utf8Text(bytes);
  return binaryEnvelope(bytes, contentType);
}

/**
 * `$content-type` is the received type with the blanks after its `;` dropped (observed on the real host:
 * "multipart/form-data; boundary=x" is recorded as "multipart/form-data;boundary=x"); a body without a
 * content type is application/octet-stream. Form bodies also get the host's parsed views `$formdata` and `$multipart`.
 */
export function binaryEnvelope(bytes: Buffer, contentType: string | undefined): BinaryContent {
  const type = contentType && contentType.trim() !== '' ? contentType.trim().replace(/;\s+/g, ';') : 'application/octet-stream';
  const envelope: BinaryContent = { '$content-type': type, '$content': bytes.toString('base64') };
  const media = mediaType(type);
  if (media === 'application/x-www-form-urlencoded') envelope.$formdata = formData(bytes.toString('utf8'));
  else if (media === 'multipart/form-data') {
    const boundary = /;\s*boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) envelope.$multipart = multipart(bytes, boundary);
  }
  return envelope;
}

/** `$formdata`: one {key, value} per `&`-separated pair, in order, empty pairs included. */
function formData(text: string): Array<{ key: string; value: string }> {
  if (text === '') return [];
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    return { key: decodeForm(key), value: decodeForm(value) };
  });
}

function decodeForm(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** `$multipart`: each part's headers (plus Content-Length) and body, held by the same content rules. */
function multipart(bytes: Buffer, boundary: string): Array<{ headers: Record<string, string>; body: unknown }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: Record<string, string>; body: unknown }> = [];
  let at = bytes.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (bytes.subarray(start, start + 2).toString() === '--') break;
    const next = bytes.indexOf(delimiter, start);
    if (next < 0) break;
    // A part runs from after the delimiter's CRLF to the CRLF before the next delimiter.
    const part = bytes.subarray(start + 2, Math.max(start + 2, next - 2));
    const split = part.indexOf('\r\n\r\n');
    const head = split < 0 ? part.toString('utf8') : part.subarray(0, split).toString('utf8');
    const content = split < 0 ? Buffer.alloc(0) : part.subarray(split + 4);
    const headers: Record<string, string> = {};
    for (const line of head.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    headers['Content-Length'] = String(content.length);
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    parts.push({ headers, body: content.length === 0 ? '' : contentBody(content, type, { invalidJson: 'text', anyText: true }) });
    at = next;
  }
  return parts;
}

/** Header lookup by case-insensitive name. */
export function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The bytes an action sends for a body, setting the content type Azure sets when the action gives none:
 * objects, arrays, numbers and booleans as `application/json; charset=utf-8` (undocumented: observed on the
 * real host as that exact value), strings as `text/plain; charset=utf-8`, and a `$content` envelope as its
 * own bytes with its own `$content-type`.
 */
export function encodeOutgoingBody(body: unknown, headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  const given = headerOf(headers, 'content-type') !== undefined;
  if (typeof body === 'string') {
    if (!given) headers['Content-Type'] = 'text/plain; charset=utf-8';
    return body;
  }
  if (isBinaryContent(body)) {
    if (!given) headers['Content-Type'] = body['$content-type'];
    return Buffer.from(body.$content, 'base64');
  }
  if (!given) headers['Content-Type'] = 'application/json; charset=utf-8';
  return JSON.stringify(body);
}
