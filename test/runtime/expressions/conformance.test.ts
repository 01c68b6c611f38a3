import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runVectors, summarize } from '../../../local/runtime/expressions/conformance.js';

const file = fileURLToPath(new URL('../../fixtures/conformance/expressions.jsonl', import.meta.url));

describe('expression conformance vectors (IllogicApps-derived)', () => {
  const results = runVectors(readFileSync(file, 'utf8').split('\n'));
  const s = summarize(results);

  it('passes at least 95% of the non-XML vectors', () => {
    const pct = (n: number, d: number) => ((100 * n) / d).toFixed(1);
    console.log(
      `conformance: ${s.passed}/${s.total} overall (${pct(s.passed, s.total)}%), ` +
        `${s.nonXmlPassed}/${s.nonXmlTotal} non-XML (${pct(s.nonXmlPassed, s.nonXmlTotal)}%), ` +
        `${s.messageMismatches} error vectors with different wording`,
    );
    const nonXmlFailures = results.filter((r) => !r.xml && !r.pass);
    for (const f of nonXmlFailures) console.log(`  non-XML failure ${f.id}: ${f.reason ?? ''}`);
    expect(s.total).toBe(414);
    expect(s.nonXmlPassed / s.nonXmlTotal).toBeGreaterThanOrEqual(0.95);
  });

  it('fails non-XML vectors only where they need the unsupported XML functions', () => {
    const other = results.filter((r) => !r.xml && !r.pass && !r.unsupported);
    expect(other.map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
  });

  it('refuses XML vectors with the clear unsupported-function error, never a wrong value', () => {
    const wrong = results.filter((r) => r.xml && !r.pass && !r.unsupported);
    expect(wrong.map((r) => `${r.id}: ${r.reason ?? ''}`)).toEqual([]);
  });
});
