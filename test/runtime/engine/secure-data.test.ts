import { describe, expect, it } from 'vitest';
import { SECURE_PLACEHOLDER } from '../../../local/runtime/model.js';
import { harness, projectOf, request, runToEnd, testServices } from './helpers.js';

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

  it('hides the inputs of actions that use secured outputs, without turning on their Secure Inputs (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#considerations-for-securing-inputs-and-outputs: "If a downstream action explicitly uses these secured outputs as inputs, Logic Apps hides this action\'s inputs in the run history, but doesn\'t enable the action\'s Secure Inputs setting.")', async () => {
    const services = testServices({ http: async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: { secret: 'S3cret-value' } }) });
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Get: { type: 'Http', inputs: { method: 'GET', uri: 'http://127.0.0.1:9/secret' }, runtimeConfiguration: { secureData: { properties: ['outputs'] } } },
            Send: { type: 'Http', inputs: { method: 'POST', uri: 'http://127.0.0.1:9/use', body: "@body('Get')?['secret']" }, runAfter: { Get: ['Succeeded'] } },
            Shape: { type: 'Compose', inputs: { s: "@body('Get')?['secret']" }, runAfter: { Get: ['Succeeded'] } },
            Later: { type: 'Compose', inputs: "@outputs('Shape')", runAfter: { Shape: ['Succeeded'] } },
            Unrelated: { type: 'Compose', inputs: 'plain', runAfter: { Get: ['Succeeded'] } },
          },
        },
      }),
      { services },
    );
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Get?.outputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Send?.inputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Send?.outputs).not.toEqual(SECURE_PLACEHOLDER);
    expect(actions.Send?.secureInputs).toBeUndefined();
    // Compose, Parse JSON and Response hide their outputs too; what uses those hidden outputs is not hidden.
    expect(actions.Shape?.inputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Shape?.outputs).toEqual(SECURE_PLACEHOLDER);
    expect(actions.Later?.inputs).toEqual({ s: 'S3cret-value' });
    expect(actions.Unrelated?.inputs).toBe('plain');
  });
});
