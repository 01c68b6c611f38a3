/**
 * `node dist/local/runtime/expressions/conformance-cli.js FILE.jsonl` (or `npm run conformance -- FILE.jsonl`):
 * prints each failing vector, then "N passed, M failed"; exit code 1 when any failed.
 */
import { readFileSync } from 'node:fs';
import { runVectors, summarize } from './conformance.js';

function main(argv: string[]): number {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: conformance-cli FILE.jsonl\n');
    return 2;
  }
  const results = runVectors(readFileSync(file, 'utf8').split('\n'));
  for (const r of results) {
    if (!r.pass) process.stdout.write(`FAIL ${r.id}${r.unsupported ? ' (unsupported XML function)' : ''}\n  ${r.expression}\n  ${r.reason ?? ''}\n`);
  }
  const s = summarize(results);
  if (s.messageMismatches > 0) {
    process.stdout.write(`(${s.messageMismatches} error vectors failed as required but with different wording)\n`);
  }
  process.stdout.write(`non-XML: ${s.nonXmlPassed}/${s.nonXmlTotal} passed\n`);
  process.stdout.write(`${s.passed} passed, ${s.failed} failed\n`);
  return s.failed > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
