import { describe, expect, it } from 'vitest';
import { applyVariableChange, checkpointUnit } from '../../../local/runtime/engine/committed-variables.js';
import { Frame } from '../../../local/runtime/engine/frame.js';
import type { DeclaredVariable } from '../../../local/runtime/engine/run-state.js';

/**
 * Learn, "Stateful and stateless workflows"
 * (https://learn.microsoft.com/azure/logic-apps/single-tenant-overview-compare#stateful-and-stateless-workflows):
 * an interrupted stateful run resumes from its saved state. A variable change is saved with the work
 * that made it (a top-level action, or the top-level loop repetition it ran in), so work that runs
 * again after a restart does not change a variable twice (end to end: test/runtime/history/resume-loops.test.ts).
 */
describe('variable changes saved with the work that made them (Learn: single-tenant-overview-compare#stateful-and-stateless-workflows)', () => {
  it('a change belongs to its top-level action, or to the top-level loop repetition it ran in, however deeply nested', () => {
    const root = new Frame();
    const repetition = new Frame(root, { name: 'For_each', item: 1, index: 0 });
    const inner = new Frame(repetition, { name: 'Inner_loop', item: 'a', index: 3 });
    expect(checkpointUnit(root, 'Set_total')).toBe('Set_total');
    expect(checkpointUnit(repetition, 'Append_seen')).toBe(repetition);
    expect(checkpointUnit(inner, 'Append_seen')).toBe(repetition);
  });

  it('replays set, append (item and text) and increment the way the actions made them', () => {
    const vars = new Map<string, DeclaredVariable>();
    applyVariableChange(vars, { kind: 'set', key: 'seen', variable: { type: 'array', value: [] } });
    applyVariableChange(vars, { kind: 'set', key: 'note', variable: { type: 'string', value: 'a' } });
    applyVariableChange(vars, { kind: 'set', key: 'n', variable: { type: 'float', value: 1.5 } });
    applyVariableChange(vars, { kind: 'appendItem', key: 'seen', value: { id: 1 } });
    applyVariableChange(vars, { kind: 'appendItem', key: 'seen', value: 2 });
    applyVariableChange(vars, { kind: 'appendText', key: 'note', text: 'bc' });
    applyVariableChange(vars, { kind: 'add', key: 'n', by: -0.5 });
    expect(Object.fromEntries(vars)).toEqual({
      seen: { type: 'array', value: [{ id: 1 }, 2] },
      note: { type: 'string', value: 'abc' },
      n: { type: 'float', value: 1 },
    });
  });
});
