import { describe, expect, it } from 'vitest';
import { harness, projectOf, request, runToEnd, testServices } from './helpers.js';

describe('engine: Foreach and Until', () => {
  it('runs Foreach repetitions concurrently up to the configured limit and records repetitions', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'active', type: 'integer', value: 0 }, { name: 'peak', type: 'integer', value: 0 }] } },
            Loop: {
              type: 'Foreach',
              foreach: '@range(0, 8)',
              runtimeConfiguration: { concurrency: { repetitions: 3 } },
              runAfter: { Init: ['Succeeded'] },
              actions: {
                Enter: { type: 'IncrementVariable', inputs: { name: 'active' } },
                Peak: { type: 'SetVariable', inputs: { name: 'peak', value: "@max(variables('peak'), variables('active'))" }, runAfter: { Enter: ['Succeeded'] } },
                Hold: { type: 'Wait', inputs: { interval: { count: 5, unit: 'Second' } }, runAfter: { Peak: ['Succeeded'] } },
                Leave: { type: 'DecrementVariable', inputs: { name: 'active' }, runAfter: { Hold: ['Succeeded'] } },
                Echo: { type: 'Compose', inputs: "@mul(item(), 10)", runAfter: { Leave: ['Succeeded'] } },
              },
            },
            Out: { type: 'Compose', inputs: { peak: "@variables('peak')", echoes: "@length(result('Loop'))" }, runAfter: { Loop: ['Succeeded'] } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf');
    expect(run.status).toBe('Succeeded');
    expect((actions.Out?.outputs as { peak: number }).peak).toBe(3);
    expect(actions.Loop?.repetitionCount).toBe(8);
    const reps = h.history.listRepetitions('wf', run.name, 'Echo');
    expect(reps).toHaveLength(8);
    expect(reps[0]?.name).toBe('000000');
    expect(reps.map((r) => r.outputs).sort((a, b) => Number(a) - Number(b))).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    expect(reps.every((r) => r.repetitionIndexes[0]?.scopeName === 'Loop')).toBe(true);
    expect(actions.Echo?.repetitionCount).toBe(8);
    const iterations = h.history.listRepetitions('wf', run.name, 'Loop');
    expect(iterations).toHaveLength(8);
    expect(iterations.map((r) => r.repetitionIndexes[0]?.itemIndex).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(iterations.every((r) => r.status === 'Succeeded')).toBe(true);
  });

  it('runs sequentially with operationOptions Sequential, in item order', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'log', type: 'string', value: '' }] } },
            Loop: {
              type: 'Foreach',
              foreach: "@triggerBody()?['items']",
              operationOptions: 'Sequential',
              runAfter: { Init: ['Succeeded'] },
              actions: { Add: { type: 'AppendToStringVariable', inputs: { name: 'log', value: "@{items('Loop')}," } } },
            },
            Out: { type: 'Compose', inputs: "@variables('log')", runAfter: { Loop: ['Succeeded'] } },
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf', request({ items: ['a', 'b', 'c', 'd'] }));
    expect(actions.Out?.outputs).toBe('a,b,c,d,');
  });

  it('fails the Foreach when a repetition fails and refuses a non-array', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Loop: { type: 'Foreach', foreach: '@createArray(1, 0, 2)', actions: { Div: { type: 'Compose', inputs: '@div(10, item())' } } },
            NotArray: { type: 'Foreach', foreach: '@triggerBody()', actions: { X: { type: 'Compose', inputs: 1 } } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf', request({ a: 1 }));
    expect(actions.Loop?.status).toBe('Failed');
    expect(actions.NotArray?.status).toBe('Failed');
    expect(actions.NotArray?.error?.message).toContain("is of type 'Object'. The result must be a valid array.");
    expect(run.status).toBe('Failed');
    const reps = h.history.listRepetitions('wf', run.name, 'Div');
    expect(reps.map((r) => r.status).sort()).toEqual(['Failed', 'Succeeded', 'Succeeded']);
  });

  it('Until stops when its expression is true', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'i', type: 'integer', value: 0 }] } },
            Loop: {
              type: 'Until',
              expression: "@greaterOrEquals(variables('i'), 3)",
              limit: { count: 10, timeout: 'PT1H' },
              runAfter: { Init: ['Succeeded'] },
              actions: { Inc: { type: 'IncrementVariable', inputs: { name: 'i' } } },
            },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf');
    expect(actions.Loop?.status).toBe('Succeeded');
    expect(actions.Loop?.iterationCount).toBe(3);
    expect(h.history.listRepetitions('wf', run.name, 'Inc')).toHaveLength(3);
  });

  it('Until stops at limit.count and times out at limit.timeout', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Count: { type: 'Until', expression: '@equals(1, 2)', limit: { count: 4 }, actions: { C: { type: 'Compose', inputs: 1 } } },
            Timed: {
              type: 'Until',
              expression: '@equals(1, 2)',
              limit: { count: 5000, timeout: 'PT30S' },
              actions: { W: { type: 'Wait', inputs: { interval: { count: 10, unit: 'Second' } } } },
            },
            AfterTimeout: { type: 'Compose', inputs: 'x', runAfter: { Timed: ['TimedOut'] } },
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Count?.status).toBe('Succeeded');
    expect(actions.Count?.iterationCount).toBe(4);
    expect(actions.Timed?.status).toBe('TimedOut');
    expect(actions.Timed?.iterationCount).toBeGreaterThanOrEqual(1);
    expect(actions.Timed?.iterationCount).toBeLessThan(5000);
    expect(actions.AfterTimeout?.status).toBe('Succeeded');
  });

  it('Until runs on after a failing iteration and fails only when the last one failed (https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops#until-loop-considerations)', async () => {
    const body = {
      Inc: { type: 'IncrementVariable', inputs: { name: 'i' } },
      // Fails (division by zero) in the iteration where i is 1, and in every iteration when i reaches 3.
      Div: { type: 'Compose', inputs: "@div(1, if(or(equals(variables('i'), 1), greaterOrEquals(variables('i'), 3)), 0, 1))", runAfter: { Inc: ['Succeeded'] } },
    };
    const h = harness(
      projectOf({
        recovers: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'i', type: 'integer', value: 0 }] } },
            Loop: { type: 'Until', expression: "@equals(variables('i'), 2)", limit: { count: 10 }, runAfter: { Init: ['Succeeded'] }, actions: body },
          },
        },
        endsFailing: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'i', type: 'integer', value: 0 }] } },
            Loop: { type: 'Until', expression: "@equals(variables('i'), 3)", limit: { count: 10 }, runAfter: { Init: ['Succeeded'] }, actions: body },
          },
        },
      }),
    );
    const recovers = await runToEnd(h, 'recovers');
    expect(recovers.actions.Loop).toMatchObject({ status: 'Succeeded', iterationCount: 2 });
    expect(recovers.run.status).toBe('Succeeded');
    expect(h.history.listRepetitions('recovers', recovers.run.name, 'Div').map((r) => r.status)).toEqual(['Failed', 'Succeeded']);
    const failing = await runToEnd(h, 'endsFailing');
    expect(failing.actions.Loop).toMatchObject({ status: 'Failed', iterationCount: 3 });
    expect(failing.run.status).toBe('Failed');
  });

  it('runs a nested Foreach one iteration at a time (https://learn.microsoft.com/azure/logic-apps/logic-apps-control-flow-loops#for-each-loop-considerations: "A nested For each action always runs sequentially")', async () => {
    let active = 0;
    let peak = 0;
    const services = testServices({
      http: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return { statusCode: 200, headers: {}, body: undefined };
      },
    });
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Outer: {
              type: 'Foreach',
              foreach: '@createArray(1)',
              operationOptions: 'Sequential',
              actions: {
                Inner: {
                  type: 'Foreach',
                  foreach: '@createArray(1, 2, 3, 4)',
                  runtimeConfiguration: { concurrency: { repetitions: 4 } },
                  actions: { Call: { type: 'Http', inputs: { method: 'GET', uri: 'http://127.0.0.1:9/x' } } },
                },
              },
            },
          },
        },
      }),
      { services },
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Inner?.status).toBe('Succeeded');
    expect(actions.Inner?.repetitionCount).toBe(4);
    expect(peak).toBe(1);
  });
});
