import { errors, GraphError } from '../errors.js';

/** $select handling: which properties to return, in the order the entity defines them. */

export function parseSelect(raw: string | undefined, typeName: string, known: readonly string[]): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return names.map((name) => {
    const match = known.find((k) => k.toLowerCase() === name.toLowerCase());
    if (!match) {
      throw new GraphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`);
    }
    return match;
  });
}

/** Graph returns exactly the selected properties (plus @odata.type in mixed lists, added by the caller). */
export function project(view: Record<string, unknown>, select: readonly string[] | undefined, defaults: readonly string[]): Record<string, unknown> {
  const keys = select ?? defaults;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = view[k] ?? null;
  return out;
}

/** Properties Graph refuses to return from a collection (user-list.md): 501. */
export function refuseOnCollection(select: readonly string[] | undefined, refused: readonly string[]): void {
  const bad = select?.find((s) => refused.includes(s));
  if (bad) throw errors.notImplemented(`The property '${bad}' can only be selected when a single object is requested.`);
}
