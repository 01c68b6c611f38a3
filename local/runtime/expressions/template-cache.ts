import type { TemplateNode } from './ast.js';
import { parseTemplate } from './parser.js';

/**
 * Workflow definitions evaluate the same strings on every run and every loop iteration, so
 * parsed templates are memoised. Bounded so a long-lived runtime does not grow without limit
 * (texts built per run, e.g. by tests, would otherwise accumulate).
 */
const MAX_ENTRIES = 5000;
const cache = new Map<string, TemplateNode>();

export function parseTemplateCached(text: string): TemplateNode {
  const hit = cache.get(text);
  if (hit) return hit;
  const parsed = parseTemplate(text);
  // Dropping everything at the limit is O(1) amortised; evicting the oldest entry one by one
  // makes V8 skip ever more deleted slots at the front of the Map.
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(text, parsed);
  return parsed;
}
