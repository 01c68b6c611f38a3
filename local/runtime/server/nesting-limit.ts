/**
 * How deep a trigger body may nest on the local runtime.
 *
 * The runtime is JavaScript: V8's JSON.stringify and structuredClone recurse and overflow between 3,000 and
 * 5,000 levels, and every run records and forwards its trigger body with them. A body nested deeper would fail
 * somewhere inside the run with an internal error, so the trigger refuses it up front with a 400 that names where
 * the nesting is. Azure's own limit is undocumented; this one exists for the local runtime's sake, which is why it
 * is generous: no real webhook comes near it.
 */
export const MAX_TRIGGER_BODY_DEPTH = 2_048;

/** The JSON path of the first value nested deeper than `limit`, or undefined. Iterative: never recurses. */
export function tooDeepAt(value: unknown, limit = MAX_TRIGGER_BODY_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '$' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop() as { value: unknown; depth: number; path: string };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return path;
    // The path names the top-level member only: that is what a caller can find and remove.
    const child = (key: string | number) => (depth > 0 ? path : typeof key === 'number' ? `$[${key}]` : `$.${key}`);
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ value: item, depth: depth + 1, path: child(i) }));
    else for (const [k, item] of Object.entries(v)) stack.push({ value: item, depth: depth + 1, path: child(k) });
  }
  return undefined;
}
