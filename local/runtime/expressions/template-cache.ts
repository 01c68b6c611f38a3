import type { TemplateNode } from './ast.js';
import { parseTemplate } from './parser.js';

/**
 * Workflow definitions evaluate the same strings on every run and every loop iteration, so
 * parsed templates are memoised. Bounded so a long-lived runtime does not grow without limit.
 */
const MAX_ENTRIES = 5000;
const cache = new Map<string, TemplateNode>();

export function parseTemplateCached(text: string): TemplateNode {
  const hit = cache.get(text);
  if (hit) return hit;
  const parsed = parseTemplate(text);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  cache.set(text, parsed);
  return parsed;
}
