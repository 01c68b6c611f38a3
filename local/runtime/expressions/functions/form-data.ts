import { ExpressionError } from '../errors.js';
import { BinaryValue, toInternal, type Value } from '../values.js';

/**
 * Form data in request bodies, in the host's shapes (IllogicApps traces of the real host):
 * - x-www-form-urlencoded: {"$content-type", "$content", "$formdata": [{"key","value"}]}
 * - multipart/form-data:   {"$content-type", "$content", "$multipart": [{"headers": {...}, "body": <binary envelope>}]}
 */

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function partName(headers: unknown): string | undefined {
  const h = record(headers);
  if (!h) return undefined;
  const key = Object.keys(h).find((k) => k.toLowerCase() === 'content-disposition');
  const disposition = key === undefined ? undefined : h[key];
  if (typeof disposition !== 'string') return undefined;
  const m = /;\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(disposition);
  return m ? (m[1] ?? m[2] ?? '').trim() : undefined;
}

function partText(body: unknown): string {
  const v = toInternal(body);
  if (v instanceof BinaryValue) return v.text();
  if (typeof v === 'string') return v;
  return JSON.stringify(body);
}

/** All values of form field `key` in a request body. */
export function formValues(fnName: string, body: unknown, key: string): string[] {
  const b = record(body);
  const formdata = b?.['$formdata'];
  if (Array.isArray(formdata)) {
    return formdata
      .map(record)
      .filter((e): e is Record<string, unknown> => e !== undefined && e['key'] === key)
      .map((e) => String(e['value'] ?? ''));
  }
  const multipart = b?.['$multipart'];
  if (Array.isArray(multipart)) {
    return multipart
      .map(record)
      .filter((p): p is Record<string, unknown> => p !== undefined && partName(p['headers']) === key)
      .map((p) => partText(p['body']));
  }
  throw new ExpressionError(
    `The template language function '${fnName}' expects the body to be form data (application/x-www-form-urlencoded or multipart/form-data); the content is not form data.`,
  );
}

export function formValue(fnName: string, body: unknown, key: string): Value {
  const values = formValues(fnName, body, key);
  if (values.length > 1) {
    throw new ExpressionError(`The template language function '${fnName}' found multiple values for the form key '${key}'; use ${fnName.replace(/Value$/i, 'MultiValues')}() instead.`);
  }
  return values[0] ?? null;
}

export function multipartPart(fnName: string, body: unknown, index: number): Value {
  const parts = record(body)?.['$multipart'];
  if (!Array.isArray(parts)) {
    throw new ExpressionError(`The template language function '${fnName}' expects the body to be multipart content; it is not.`);
  }
  if (index < 0 || index >= parts.length) {
    throw new ExpressionError(`The template language function '${fnName}' index '${index}' is outside the ${parts.length} parts of the multipart body.`);
  }
  return toInternal(record(parts[index])?.['body']);
}
