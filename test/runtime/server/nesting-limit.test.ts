import { describe, expect, it } from 'vitest';
import { MAX_TRIGGER_BODY_DEPTH, tooDeepAt } from '../../../local/runtime/server/nesting-limit.js';
import { toExternal, toInternal, toJsonText } from '../../../local/runtime/expressions/values.js';

const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('trigger body nesting (undocumented in Azure: a local-runtime limit, see nesting-limit.ts)', () => {
  it('accepts a body at the limit and names the top-level member of one beyond it', () => {
    expect(tooDeepAt({ extra: nested(MAX_TRIGGER_BODY_DEPTH - 1) })).toBeUndefined();
    expect(tooDeepAt({ ok: 1, extra: nested(MAX_TRIGGER_BODY_DEPTH) })).toBe('$.extra');
    expect(tooDeepAt([nested(MAX_TRIGGER_BODY_DEPTH)])).toBe('$[0]');
  });
  it('checks a body far deeper than the call stack allows without overflowing', () => {
    expect(tooDeepAt({ extra: nested(200_000) })).toBe('$.extra');
  });
});

describe('expression values convert without recursion', () => {
  it('round-trips a body nested at the trigger limit', () => {
    const body = { a: nested(MAX_TRIGGER_BODY_DEPTH - 1), b: [1, 2.5, 'x', null, true] };
    const internal = toInternal(body);
    expect(toExternal(internal)).toEqual(body);
    expect(toJsonText(internal)).toBe(JSON.stringify(body));
  });
  it('serialises objects and arrays as the evaluator did before (keys in order, commas between members)', () => {
    expect(toJsonText(toInternal({ a: 1, b: [true, { c: 'd' }], e: {} }))).toBe('{"a":1,"b":[true,{"c":"d"}],"e":{}}');
    expect(toJsonText(toInternal([]))).toBe('[]');
  });
});
