import { describe, expect, it } from 'vitest';
import { harness, projectOf, request, runToEnd } from './helpers.js';

describe('engine: data and variable actions', () => {
  it('runs Compose chains and answers with the Response action', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            A: { type: 'Compose', inputs: { greeting: "@concat('hi ', triggerBody()?['name'])" } },
            B: { type: 'Compose', inputs: "@outputs('A')?['greeting']", runAfter: { A: ['Succeeded'] } },
            Respond: { type: 'Response', kind: 'Http', inputs: { statusCode: 201, headers: { 'X-Test': 'yes' }, body: { said: "@outputs('B')" } }, runAfter: { B: ['Succeeded'] } },
          },
        },
      }),
    );
    const { run, response, actions } = await runToEnd(h, 'wf', request({ name: 'Ada' }));
    expect(response).toEqual({ statusCode: 201, headers: { 'X-Test': 'yes' }, body: { said: 'hi Ada' } });
    expect(run.status).toBe('Succeeded');
    expect(run.response).toEqual({ statusCode: 201, headers: { 'X-Test': 'yes' }, body: { said: 'hi Ada' } });
    expect(actions.A?.outputs).toEqual({ greeting: 'hi Ada' });
    expect(actions.B?.status).toBe('Succeeded');
    expect(actions.B?.code).toBe('OK');
    expect(run.name).toMatch(/^\d{29}CU\d{2}$/);
    // Every action is recorded when it starts and again when it ends.
    const writes = h.history.actionWrites.filter((w) => w.name === 'A').map((w) => w.status);
    expect(writes).toEqual(['Running', 'Succeeded']);
  });

  it('evaluates the definition outputs when the run ends', async () => {
    const project = projectOf({ wf: { actions: { A: { type: 'Compose', inputs: 'x' } } } });
    const wf = project.workflows.get('wf');
    if (wf) wf.definition.outputs = { result: { type: 'String', value: "@{outputs('A')}!" } };
    const { run } = await runToEnd(harness(project), 'wf');
    expect(run.outputs).toEqual({ result: { type: 'String', value: 'x!' } });
  });

  it('answers 202 at once when the workflow has no Response action', async () => {
    const h = harness(projectOf({ wf: { actions: { A: { type: 'Compose', inputs: 1 } } } }));
    const { response, run } = await runToEnd(h, 'wf');
    expect(response.statusCode).toBe(202);
    expect(run.status).toBe('Succeeded');
  });

  it('answers 502 NoResponse when the run ends without reaching its Response', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Boom: { type: 'Compose', inputs: "@div(1, 0)" },
            Respond: { type: 'Response', inputs: { statusCode: 200 }, runAfter: { Boom: ['Succeeded'] } },
          },
        },
      }),
    );
    const { response, run, actions } = await runToEnd(h, 'wf');
    expect(response.statusCode).toBe(502);
    expect((response.body as { error: { code: string } }).error.code).toBe('NoResponse');
    expect(run.status).toBe('Failed');
    expect(actions.Boom?.code).toBe('InvalidTemplate');
    expect(actions.Boom?.error?.message).toContain("Unable to process template language expressions in action 'Boom' inputs");
    expect(actions.Respond?.status).toBe('Skipped');
  });

  it('builds the trigger() object and tracking ids as Azure does', async () => {
    const h = harness(
      projectOf({
        wf: {
          triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST', relativePath: 'users/{upn}' } } },
          actions: { T: { type: 'Compose', inputs: '@trigger()' } },
        },
      }),
    );
    const started = h.engine.start('wf', 'manual', request({ a: 1 }, { relativePath: 'users/ada%40contoso.com', queries: { q: '1' }, headers: { 'x-ms-client-tracking-id': 'caller-id' } }));
    const run = await started.completed;
    const t = h.history.listActions('wf', run.name).find((a) => a.name === 'T')?.outputs as Record<string, unknown>;
    expect(t.name).toBe('manual');
    expect(t.inputs).toEqual({ method: 'POST', relativePath: 'users/{upn}' });
    expect(t.outputs).toEqual({
      headers: { 'x-ms-client-tracking-id': 'caller-id' },
      relativePathParameters: { upn: 'ada@contoso.com' },
      queries: { q: '1' },
      body: { a: 1 },
    });
    expect(t.originHistoryName).toBe(run.name);
    expect(t.status).toBe('Succeeded');
    expect(run.clientTrackingId).toBe('caller-id');
    expect(t.clientTrackingId).toBe('caller-id');
  });

  it('takes clientTrackingId from the trigger correlation, else the run name', async () => {
    const h = harness(
      projectOf({
        a: { triggers: { manual: { type: 'Request', inputs: {}, correlation: { clientTrackingId: "@triggerBody()?['id']" } } }, actions: {} },
        b: { actions: {} },
      }),
    );
    const a = await runToEnd(h, 'a', request({ id: 'ticket-42' }, { headers: { 'x-ms-client-tracking-id': 'ignored' } }));
    expect(a.run.clientTrackingId).toBe('ticket-42');
    const b = await runToEnd(h, 'b');
    expect(b.run.clientTrackingId).toBe(b.run.name);
  });

  it('initializes, sets, increments, decrements and appends variables', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Init: {
              type: 'InitializeVariable',
              inputs: { variables: [{ name: 'n', type: 'integer', value: 5 }, { name: 's', type: 'string', value: 'a' }, { name: 'arr', type: 'array', value: [] }, { name: 'f', type: 'float', value: 1 }] },
            },
            Inc: { type: 'IncrementVariable', inputs: { name: 'n', value: 3 }, runAfter: { Init: ['Succeeded'] } },
            Dec: { type: 'DecrementVariable', inputs: { name: 'n' }, runAfter: { Inc: ['Succeeded'] } },
            AppS: { type: 'AppendToStringVariable', inputs: { name: 's', value: 'bc' }, runAfter: { Dec: ['Succeeded'] } },
            AppA: { type: 'AppendToArrayVariable', inputs: { name: 'arr', value: { k: "@variables('n')" } }, runAfter: { AppS: ['Succeeded'] } },
            SetF: { type: 'SetVariable', inputs: { name: 'f', value: 2.5 }, runAfter: { AppA: ['Succeeded'] } },
            Out: { type: 'Compose', inputs: { n: "@variables('n')", s: "@variables('s')", arr: "@variables('arr')", f: "@variables('f')" }, runAfter: { SetF: ['Succeeded'] } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf');
    expect(run.status).toBe('Succeeded');
    expect(actions.Out?.outputs).toEqual({ n: 7, s: 'abc', arr: [{ k: 7 }], f: 2.5 });
    expect(actions.Inc?.outputs).toEqual({ body: { name: 'n', value: 8 } });
    expect(actions.SetF?.outputs).toEqual({ body: { name: 'f', value: 2.5 } });
  });

  it('refuses values of the wrong type with Azure\'s message', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Init: { type: 'InitializeVariable', inputs: { variables: [{ name: 'count', type: 'Integer', value: 1 }] } },
            Set: { type: 'SetVariable', inputs: { name: 'count', value: 'seven' }, runAfter: { Init: ['Succeeded'] } },
            BadInit: { type: 'InitializeVariable', inputs: { variables: [{ name: 'x', type: 'Boolean', value: 'yes' }] } },
            IncStr: { type: 'IncrementVariable', inputs: { name: 's' }, runAfter: { InitS: ['Succeeded'] } },
            InitS: { type: 'InitializeVariable', inputs: { variables: [{ name: 's', type: 'String', value: '' }] } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf');
    expect(run.status).toBe('Failed');
    expect(actions.Set?.status).toBe('Failed');
    expect(actions.Set?.error?.message).toBe(
      "The variable 'count' of type 'Integer' cannot be initialized or updated with value of type 'String'. The variable 'count' only supports values of types 'Integer'.",
    );
    expect(actions.BadInit?.error?.message).toContain("of type 'Boolean' cannot be initialized or updated with value of type 'String'");
    expect(actions.IncStr?.error?.message).toContain("The variable 's' of type 'String' cannot be incremented");
  });

  it('filters with Query, maps with Select and parses JSON', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Filter: { type: 'Query', inputs: { from: [1, 2, 3, 4], where: '@greater(item(), 2)' } },
            Map: { type: 'Select', inputs: { from: "@body('Filter')", select: { v: '@item()', double: '@mul(item(), 2)' } }, runAfter: { Filter: ['Succeeded'] } },
            Parse: { type: 'ParseJson', inputs: { content: '{"a":1}', schema: { type: 'object', properties: { a: { type: 'integer' } } } } },
            ParseBad: { type: 'ParseJson', inputs: { content: { a: 'x' }, schema: { type: 'object', properties: { a: { type: 'integer' } } } } },
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Filter?.outputs).toEqual({ body: [3, 4] });
    expect(actions.Map?.outputs).toEqual({ body: [{ v: 3, double: 6 }, { v: 4, double: 8 }] });
    expect(actions.Parse?.outputs).toEqual({ body: { a: 1 } });
    expect(actions.ParseBad?.status).toBe('Failed');
    expect(actions.ParseBad?.error?.message).toContain('Invalid type. Expected Integer but got String.');
  });

  it('waits on the scaled clock', async () => {
    const h = harness(projectOf({ wf: { actions: { W: { type: 'Wait', inputs: { interval: { count: 7, unit: 'Second' } } } } } }));
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.W?.status).toBe('Succeeded');
    expect(actions.W?.inputs).toEqual({ interval: { count: 7, unit: 'Second' } });
  });
});
