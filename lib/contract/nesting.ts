/**
 * How deeply a parsed JSON body nests, measured without recursion (so a hostile body cannot exhaust
 * the stack here). Thread's payload nests three levels (body → intent_fields → a list of names); a body
 * nested thousands of levels deep in an ignored member gave a 503 (issue 11 finding 6), so anything deeper
 * than MAX_NESTING is refused with a 400 naming where it goes too deep.
 */
export const MAX_NESTING = 32;

/** The path ("extra[0][0]…", shortened) of the first value nested deeper than `max`, or undefined. */
export function tooDeeplyNested(value: unknown, max = MAX_NESTING): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= max) return item.path || 'body';
    const entries: Array<[string, unknown]> = Array.isArray(item.value)
      ? item.value.map((v, i) => [`[${i}]`, v])
      : Object.entries(item.value as Record<string, unknown>).map(([k, v]) => [item.path ? `.${k}` : k, v]);
    for (const [step, child] of entries) {
      // The path is only for the message: the first few steps say which member it is.
      const path = item.depth < 3 ? `${item.path}${step}` : item.path.endsWith('…') ? item.path : `${item.path}…`;
      stack.push({ value: child, depth: item.depth + 1, path });
    }
  }
  return undefined;
}
