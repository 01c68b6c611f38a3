import { describe, expect, it } from 'vitest';
import { SECURE_PLACEHOLDER } from '../../../local/runtime/model.js';
import { harness, projectOf, request, runToEnd } from './helpers.js';

describe('engine: secureData and trackedProperties', () => {
  it('hides secured inputs/outputs in saved records while later actions still read them', async () => {
    const h = harness(
      projectOf({
        wf: {
          triggers: { manual: { type: 'Request', inputs: {}, runtimeConfiguration: { secureData: { properties: ['inputs', 'outputs'] } } } },
          actions: {
            Secret: { type: 'Compose', inputs: { password: "@triggerBody()?['password']" }, runtimeConfiguration: { secureData: { properties: ['inputs', 'outputs'] } } },
            OnlyOut: { type: 'Compose', inputs: 'visible-input', runtimeConfiguration: { secureData: { properties: ['outputs'] } } },
            Use: { type: 'Compose', inputs: "@length(outputs('Secret')?['password'])", runAfter: { Secret: ['Succeeded'] } },
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf', request({ password: 'Hunter2!xyz' }));
    expect(actions.Secret?.inputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Secret?.outputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Secret?.secureInputs).toBe(true);
    expect(actions.Secret?.secureOutputs).toBe(true);
    expect(actions.OnlyOut?.inputs).toBe('visible-input');
    expect(actions.OnlyOut?.outputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Use?.outputs).toBe(11);
    expect(run.trigger.outputs).toEqual(SECURE_PLACEHOLDER);
    expect(run.trigger.secureOutputs).toBe(true);
    const everything = JSON.stringify([h.history.listActions('wf', run.name), h.history.actionWrites, h.history.getRun('wf', run.name)]);
    expect(everything).not.toContain('Hunter2');
  });

  it('keeps a secured Response answer out of the run record but gives it to the caller and to polling', async () => {
    const h = harness(
      projectOf({
        wf: {
          triggers: { manual: { type: 'Request', inputs: {}, runtimeConfiguration: { secureData: { properties: ['inputs', 'outputs'] } } } },
          actions: {
            Respond: {
              type: 'Response',
              inputs: { statusCode: 200, body: { link: "@triggerBody()?['link']" } },
              runtimeConfiguration: { secureData: { properties: ['inputs'] } },
            },
          },
        },
      }),
    );
    const { run, response, actions } = await runToEnd(h, 'wf', request({ link: 'https://x/secret/1#k=abc' }));
    expect(response.body).toEqual({ link: 'https://x/secret/1#k=abc' });
    expect(run.response).toEqual({ statusCode: 200, secure: true, body: SECURE_PLACEHOLDER });
    expect(h.engine.securedResponse('wf', run.name)?.body).toEqual({ link: 'https://x/secret/1#k=abc' });
    expect(actions.Respond?.inputs).toEqual(SECURE_PLACEHOLDER);
    expect(JSON.stringify([h.history.getRun('wf', run.name), h.history.listActions('wf', run.name)])).not.toContain('k=abc');
  });

  it('evaluates trackedProperties with action() after the action ends', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Step: { type: 'Compose', inputs: { upn: 'ada@contoso.com' }, trackedProperties: { upn: '@action()?.inputs?.upn', status: '@action()?.status' } },
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Step?.trackedProperties).toEqual({ upn: 'ada@contoso.com', status: 'Succeeded' });
  });
});
