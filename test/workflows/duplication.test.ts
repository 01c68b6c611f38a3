import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeDuplicate, findDuplicates, type DuplicateGroup } from '../../scripts/workflows/duplicates.js';

const ROOT = resolve(import.meta.dirname, '../..');

function workflows(): Array<{ name: string; doc: unknown }> {
  const dir = join(ROOT, 'workflows');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ name: e.name, doc: JSON.parse(readFileSync(join(dir, e.name, 'workflow.json'), 'utf8')) as unknown }));
}

/**
 * Copies knowingly left in place, each with why (`'<workflow>:<path>': 'reason'`); empty today. A new copy fails
 * the test, and a listed copy that is gone fails it too (take it off the list).
 */
const KNOWN_COPIES: Record<string, string> = {};

function key(group: DuplicateGroup): string[] {
  return group.occurrences.filter((o) => o.generatedFrom === undefined).map((o) => `${o.workflow}:${o.path}`);
}

describe('no copied action subtrees across or within workflows (issue 12 item 4; docs/workflow-design.md "Generated parts")', () => {
  it('every copy of two or more actions, or of 600 characters, comes from scripts/workflows', () => {
    const copies = findDuplicates(workflows());
    const unexplained = copies.filter((group) => !key(group).some((k) => k in KNOWN_COPIES));
    expect(
      unexplained.map(describeDuplicate),
      'These action subtrees are copies (runAfter, descriptions and action names aside). Move them into a fragment ' +
        '(scripts/workflows/fragments, listed in scripts/workflows/uses.json) or a template, then run npm run build:workflows.',
    ).toEqual([]);
    const stillCopied = new Set(copies.flatMap(key));
    expect(Object.keys(KNOWN_COPIES).filter((k) => !stillCopied.has(k)), 'no longer copied: remove from KNOWN_COPIES').toEqual([]);
  });
});

describe('findDuplicates', () => {
  const runbookWait = (job: string) => ({
    type: 'Until',
    description: `Waits for the ${job} job.`,
    expression: `@equals(body('Read_${job}_status')?['status'], 'Completed')`,
    actions: {
      [`Pause_${job}`]: { type: 'Wait', inputs: { interval: { count: 10, unit: 'Second' } }, runAfter: {} },
      [`Read_${job}_status`]: { type: 'ServiceProvider', inputs: { jobId: `@body('Start_${job}')?['jobId']` }, runAfter: { [`Pause_${job}`]: ['Succeeded'] } },
    },
    runAfter: { [`Start_${job}`]: ['Succeeded'] },
  });
  const wf = (name: string, actions: Record<string, unknown>) => ({ name, doc: { definition: { actions } } });

  it('catches a copy whose action names and descriptions were changed, across and within workflows', () => {
    const copies = findDuplicates([
      wf('a', { Start_add: { type: 'Http' }, Wait_add: runbookWait('add') }),
      wf('b', { Start_rm: { type: 'Http' }, Wait_rm: runbookWait('rm'), Start_x: { type: 'Http' }, Wait_x: runbookWait('x') }),
    ]);
    expect(copies).toHaveLength(1);
    expect(copies[0]?.occurrences.map((o) => `${o.workflow}:${o.path}`)).toEqual(['a:Wait_add', 'b:Wait_rm', 'b:Wait_x']);
  });

  it('reports only the largest copy, not the actions inside it', () => {
    const outer = (job: string) => ({ type: 'Foreach', foreach: '@x', actions: { [`Wait_${job}`]: runbookWait(job), [`Start_${job}`]: { type: 'Http' } } });
    const copies = findDuplicates([wf('a', { Loop_a: outer('a') }), wf('b', { Loop_b: outer('b') })]);
    expect(copies.map((c) => c.occurrences[0]?.path)).toEqual(['Loop_a']);
  });

  it('lets copies through when every one comes from scripts/workflows (one source), not when one is hand-made', () => {
    const generated = { ...runbookWait('g'), metadata: { generatedFrom: 'scripts/workflows/fragments/f.json' } };
    expect(findDuplicates([wf('a', { W: generated }), wf('b', { W: generated })])).toEqual([]);
    expect(findDuplicates([wf('a', { W: generated }), wf('b', { W: runbookWait('g') })])).toHaveLength(1);
  });

  it('ignores small single actions (below 2 actions and 600 characters)', () => {
    expect(findDuplicates([wf('a', { R: { type: 'Response', inputs: { statusCode: 200 } } }), wf('b', { R: { type: 'Response', inputs: { statusCode: 200 } } })])).toEqual([]);
  });
});
