import { describe, expect, it } from 'vitest';
import { statusFromSteps, type Step } from '../../../lib/inline/outcome.js';

describe('statusFromSteps', () => {
  const s = (status: Step['status']): Step => ({ name: 'x', status });
  it.each([
    [[], 'success'],
    [[s('succeeded'), s('already_done')], 'success'],
    [[s('planned'), s('skipped')], 'success'],
    [[s('failed')], 'failed'],
    [[s('failed'), s('skipped'), s('planned')], 'failed'],
    [[s('succeeded'), s('failed')], 'partial_success'],
    [[s('already_done'), s('failed'), s('skipped')], 'partial_success'],
  ] as Array<[Step[], string]>)('%j -> %s', (steps, expected) => {
    expect(statusFromSteps(steps)).toBe(expected);
  });
});
