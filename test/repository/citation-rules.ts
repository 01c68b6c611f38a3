import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Pointers to documents that are not in the repository. Every fact in code, comments, docs and test names
 * cites a public source (a Microsoft Learn URL, an RFC, vendor docs) or an in-repo document (docs/*.md,
 * infra/README.md, runbooks/README.md), or states the behaviour and its reason plainly. A section sign, a
 * numbered entry of an unpublished defect list or a comparison with another system points nowhere a
 * reader can follow.
 *
 * The patterns are spelt with escapes and joins so this file does not match itself.
 */
export interface CitationRule {
  name: string;
  pattern: RegExp;
  /** What to write instead, shown when the rule fails. */
  fix: string;
}

const SECTION_SIGN = '\u00a7';
const OTHER_SYSTEM = ['reference', 'system'].join(' ');
const ITS_DEFECTS = ['reference', 'defect'].join(' ');

export const CITATION_RULES: readonly CitationRule[] = [
  {
    name: 'section sign',
    pattern: new RegExp(SECTION_SIGN),
    fix: 'cite the public page (e.g. a Learn URL with its #anchor, or "RFC 9110 section 5.5" with its URL) or a docs/*.md section',
  },
  {
    name: 'comparison with another system',
    pattern: new RegExp(`${OTHER_SYSTEM}|${ITS_DEFECTS}`, 'i'),
    fix: 'state the behaviour and why plainly ("a retried webhook must not change a password twice, so …")',
  },
  {
    name: 'numbered defect pointer',
    // The word defect(s) followed by a number or a range of numbers; "one defect" and "one-defect payloads" pass.
    pattern: /\bdefects? \d+(?:\s*[-–,]\s*\d+)*\b/i,
    fix: 'say what the code prevents and why, or cite the public source of the rule',
  },
  {
    name: 'unpublished notes',
    pattern: /seed-behaviou?r|shared\/reference\//i,
    fix: 'cite the public source those notes were taken from',
  },
];

export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** Generated, vendored or tool folders, and the expression conformance vectors (data captured from Azure). */
const EXCLUDED = [/^node_modules\//, /^dist\//, /^\.tools\//, /^test\/fixtures\/conformance\//];

/**
 * The repository's text files: tracked ones plus new files not yet committed (untracked, not ignored),
 * so a pointer is caught before it lands. Files deleted in the work tree are skipped.
 */
export function repositoryTextFiles(root = REPO_ROOT): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const paths = out.toString('utf8').split('\0').filter((p) => p !== '' && !EXCLUDED.some((re) => re.test(p)));
  return [...new Set(paths)].sort();
}

/** A line without its indentation and leading comment marker (`*`, `//`, `#`), for joining wrapped prose. */
function prose(line: string): string {
  return line.replace(/^\s*(?:\*|\/\/|#)?\s*/, '').trimEnd();
}

/**
 * Lines of one text that break a rule. A phrase wrapped onto the next comment line is found too and
 * reported at the line where it starts.
 */
export function findPointers(file: string, text: string, rules: readonly CitationRule[] = CITATION_RULES): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const next = lines[index + 1];
    for (const rule of rules) {
      if (rule.pattern.test(line)) {
        findings.push({ file, line: index + 1, rule: rule.name, text: line.trim().slice(0, 160) });
      } else if (next !== undefined && !rule.pattern.test(next) && rule.pattern.test(`${prose(line)} ${prose(next)}`)) {
        findings.push({ file, line: index + 1, rule: rule.name, text: `${line.trim()} ${prose(next)}`.slice(0, 160) });
      }
    }
  });
  return findings;
}

/** Every finding in the repository's text files (binary files, those holding a NUL byte, are skipped). */
export function scanRepository(root = REPO_ROOT): Finding[] {
  const findings: Finding[] = [];
  for (const file of repositoryTextFiles(root)) {
    let content: Buffer;
    try {
      content = readFileSync(join(root, file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') continue;
      throw err;
    }
    if (content.includes(0)) continue;
    findings.push(...findPointers(file, content.toString('utf8')));
  }
  return findings;
}
