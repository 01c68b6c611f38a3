/**
 * Bicep suppression directives in the source (https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter#silencing-false-positives):
 * `#disable-next-line <code> [<code>...]` hides those diagnostics on the next line. Ours must say why on the same
 * line (`#disable-next-line BCP187 // kind V2 is required and missing from the types`), so a reader never meets an
 * unexplained silence. Block directives (`#disable-diagnostics`) are refused: they silence too much to review.
 */
export interface Suppression {
  file: string;
  /** 1-based line of the directive; it covers line + 1. */
  line: number;
  codes: string[];
  /** The text after `//`, trimmed; empty when the directive gives no reason. */
  reason: string;
  kind: 'next-line' | 'block';
}

const DIRECTIVE = /^\s*#(disable-next-line|disable-diagnostics|restore-diagnostics)\b(.*)$/;

export function findSuppressions(file: string, source: string): Suppression[] {
  const found: Suppression[] = [];
  source.split(/\r?\n/).forEach((text, index) => {
    const m = DIRECTIVE.exec(text);
    if (!m) return;
    const [, directive, rest] = m;
    if (directive === 'restore-diagnostics') return;
    const comment = rest!.indexOf('//');
    const codesPart = comment < 0 ? rest! : rest!.slice(0, comment);
    found.push({
      file,
      line: index + 1,
      codes: codesPart.trim().split(/\s+/).filter(Boolean),
      reason: comment < 0 ? '' : rest!.slice(comment + 2).trim(),
      kind: directive === 'disable-next-line' ? 'next-line' : 'block',
    });
  });
  return found;
}

/**
 * The source with every directive line blanked (line numbers kept), so a second compile shows what each
 * directive hides.
 */
export function withoutSuppressions(source: string): string {
  return source
    .split(/(\r?\n)/)
    .map((part) => (DIRECTIVE.test(part) ? '' : part))
    .join('');
}
