import { describe, expect, it } from 'vitest';
import { harness, projectOf, request, runToEnd } from './helpers.js';

describe('engine: Workflow action and asynchronous Response', () => {
  const project = projectOf({
    parent: {
      actions: {
        Call: { type: 'Workflow', inputs: { host: { workflow: { id: 'child' } }, headers: { 'x-intent': 'reset' }, body: { upn: "@triggerBody()?['upn']" } } },
        Out: { type: 'Compose', inputs: "@body('Call')", runAfter: { Call: ['Succeeded'] } },
        CallFailing: { type: 'Workflow', inputs: { host: { workflow: { id: 'failing-child' } }, body: {} } },
        CallSilent: { type: 'Workflow', inputs: { host: { workflow: { id: 'silent-child' } }, body: {} } },
      },
    },
    child: {
      actions: {
        Upper: { type: 'Compose', inputs: "@toUpper(triggerBody()?['upn'])" },
        Reply: { type: 'Response', inputs: { statusCode: 200, body: { upn: "@outputs('Upper')", header: "@triggerOutputs()?['headers']?['x-intent']" } }, runAfter: { Upper: ['Succeeded'] } },
      },
    },
    'failing-child': { actions: { Reply: { type: 'Response', inputs: { statusCode: 409, body: { error: 'conflict' } } } } },
    'silent-child': { actions: { Boom: { type: 'Compose', inputs: '@div(1,0)' }, Reply: { type: 'Response', inputs: { statusCode: 200 }, runAfter: { Boom: ['Succeeded'] } } } },
  });

  it('continues as soon as the child responds, while the child keeps working (respond-early pattern)', async () => {
    const h = harness(
      projectOf({
        parent: { actions: { Call: { type: 'Workflow', inputs: { host: { workflow: { id: 'early' } }, body: {} } } } },
        early: {
          actions: {
            Accepted: { type: 'Response', inputs: { statusCode: 200, body: { status: 'accepted' } } },
            // 10 minutes at the harness's time scale (0.001): about 600 ms of real time.
            Long_work: { type: 'Wait', inputs: { interval: { count: 10, unit: 'Minute' } }, runAfter: { Accepted: ['Succeeded'] } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'parent');
    expect(run.status).toBe('Succeeded');
    expect(actions.Call?.outputs).toMatchObject({ statusCode: 200, body: { status: 'accepted' } });
    const childName = actions.Call?.childRun?.runName ?? '';
    expect(h.history.getRun('early', childName)?.status).toBe('Running');
    await h.engine.drain();
    expect(h.history.getRun('early', childName)?.status).toBe('Succeeded');
  });

  it('starts the child, waits, and exposes its Response; links parent and child runs', async () => {
    const h = harness(project);
    const { actions, run } = await runToEnd(h, 'parent', request({ upn: 'ada@contoso.com' }));
    expect(actions.Out?.outputs).toEqual({ upn: 'ADA@CONTOSO.COM', header: 'reset' });
    expect(actions.Call?.outputs).toMatchObject({ statusCode: 200 });
    const childRun = actions.Call?.childRun;
    expect(childRun?.workflow).toBe('child');
    const child = h.history.getRun('child', childRun?.runName ?? '');
    expect(child?.status).toBe('Succeeded');
    expect(child?.parentRun).toEqual({ workflow: 'parent', runName: run.name, action: 'Call' });
    expect(child?.clientTrackingId).toBe(run.clientTrackingId);

    // A 4xx child response fails the action with the status name; a child that never responds gives 502.
    expect(actions.CallFailing?.status).toBe('Failed');
    expect(actions.CallFailing?.code).toBe('Conflict');
    expect(actions.CallSilent?.status).toBe('Failed');
    expect(actions.CallSilent?.code).toBe('BadGateway');
    expect((actions.CallSilent?.outputs as { body: { error: { code: string } } }).body.error.code).toBe('NoResponse');
  });

  it('answers 202 + Location at once for an asynchronous Response and saves the final response on the run', async () => {
    const h = harness(
      projectOf({
        slow: {
          actions: {
            Work: { type: 'Wait', inputs: { interval: { count: 30, unit: 'Second' } } },
            Reply: { type: 'Response', operationOptions: 'Asynchronous', inputs: { statusCode: 200, body: { done: true } }, runAfter: { Work: ['Succeeded'] } },
          },
        },
      }),
    );
    const started = h.engine.start('slow', 'manual', request({}));
    const response = await started.response;
    expect(response.statusCode).toBe(202);
    expect(response.headers.Location).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:7071/runtime/webhooks/workflow/api/management/workflows/slow/runs/${started.runName}/operations/[0-9a-f-]{36}\\?api-version=2022-05-01$`),
    );
    expect(h.history.getRun('slow', started.runName)?.response).toBeUndefined();
    const run = await started.completed;
    expect(run.response).toEqual({ statusCode: 200, body: { done: true } });
    expect(h.history.getRun('slow', started.runName)?.response).toEqual({ statusCode: 200, body: { done: true } });
  });

  it('saves 502 NoResponse for polling when an asynchronous run ends without answering', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Boom: { type: 'Compose', inputs: '@div(1,0)' },
            Reply: { type: 'Response', operationOptions: 'Asynchronous', inputs: { statusCode: 200 }, runAfter: { Boom: ['Succeeded'] } },
          },
        },
      }),
    );
    const started = h.engine.start('wf', 'manual', request({}));
    expect((await started.response).statusCode).toBe(202);
    const run = await started.completed;
    expect(run.status).toBe('Failed');
    expect(h.history.getRun('wf', run.name)?.response?.statusCode).toBe(502);
  });

  it('fails a second Response in the same run', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            First: { type: 'Response', inputs: { statusCode: 200, body: 'one' } },
            Second: { type: 'Response', inputs: { statusCode: 200, body: 'two' }, runAfter: { First: ['Succeeded'] } },
          },
        },
      }),
    );
    const { response, actions } = await runToEnd(h, 'wf');
    expect(response.body).toBe('one');
    expect(actions.Second?.status).toBe('Failed');
    expect(actions.Second?.code).toBe('ActionResponseAlreadySent');
  });

  it('drain() waits for every run in flight', async () => {
    const h = harness(projectOf({ wf: { actions: { W: { type: 'Wait', inputs: { interval: { count: 5, unit: 'Second' } } } } } }));
    const a = h.engine.start('wf', 'manual', request({}));
    const b = h.engine.start('wf', 'manual', request({}));
    await h.engine.drain();
    expect(h.history.getRun('wf', a.runName)?.status).toBe('Succeeded');
    expect(h.history.getRun('wf', b.runName)?.status).toBe('Succeeded');
    expect(a.runName).not.toBe(b.runName);
  });
});
