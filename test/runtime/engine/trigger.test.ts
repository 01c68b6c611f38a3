import { describe, expect, it } from 'vitest';
import { TriggerRequestError } from '../../../local/runtime/engine/index.js';
import { harness, projectOf, request } from './helpers.js';

const schema = { type: 'object', properties: { upn: { type: 'string', minLength: 3 }, count: { type: 'integer' } }, required: ['upn', 'intent'] };

function refusal(fn: () => unknown): TriggerRequestError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TriggerRequestError) return err;
    throw err;
  }
  throw new Error('expected a TriggerRequestError');
}

describe('engine: Request trigger', () => {
  const h = harness(
    projectOf({
      strict: { triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST', schema }, operationOptions: 'EnableSchemaValidation' } }, actions: {} },
      loose: { triggers: { manual: { type: 'Request', kind: 'Http', inputs: { schema } } }, actions: {} },
      pathy: { triggers: { manual: { type: 'Request', inputs: { method: 'GET', relativePath: 'users/{id}/groups' } } }, actions: {} },
      cond: { triggers: { manual: { type: 'Request', inputs: {}, conditions: [{ expression: "@equals(triggerBody()?['go'], true)" }] } }, actions: {} },
    }),
  );

  it('enforces the schema only with EnableSchemaValidation, with Azure\'s code and message', async () => {
    const err = refusal(() => h.engine.start('strict', 'manual', request({ upn: 'ab', count: 'x' })));
    expect(err.status).toBe(400);
    expect(err.code).toBe('TriggerInputSchemaMismatch');
    expect(err.message).toContain("The input body for trigger 'manual' of type 'Request' did not match its schema definition. Error details: '");
    expect(err.message).toContain('Required properties are missing from object: intent.');
    expect(err.message).toContain("String 'ab' is less than minimum length of 3. Path 'upn'.");
    expect(err.message).toContain("Invalid type. Expected Integer but got String. Path 'count'.");
    const ok = h.engine.start('strict', 'manual', request({ upn: 'ada', intent: 'x', count: 1 }));
    expect((await ok.completed).status).toBe('Succeeded');
    // Without the option the schema only describes the body (as in Azure): the run starts.
    const loose = h.engine.start('loose', 'manual', request({ count: 'x' }));
    expect((await loose.completed).status).toBe('Succeeded');
  });

  it('checks the method and relative path', async () => {
    const wrongMethod = refusal(() => h.engine.start('strict', 'manual', request({ upn: 'ada', intent: 'x' }, { method: 'PUT' })));
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.code).toBe('TriggerRequestMethodNotValid');
    const wrongPath = refusal(() => h.engine.start('pathy', 'manual', request(undefined, { method: 'GET', relativePath: 'users/1' })));
    expect(wrongPath.status).toBe(404);
    const run = await h.engine.start('pathy', 'manual', request(undefined, { method: 'GET', relativePath: 'users/42/groups' })).completed;
    expect(run.trigger.outputs).toMatchObject({ relativePathParameters: { id: '42' } });
  });

  it('refuses unknown workflows and triggers, and unmet trigger conditions start no run', () => {
    expect(refusal(() => h.engine.start('nope', 'manual', request({}))).code).toBe('WorkflowNotFound');
    expect(refusal(() => h.engine.start('loose', 'other', request({}))).code).toBe('WorkflowTriggerNotFound');
    const before = h.history.listRuns({ workflow: 'cond' }).length;
    expect(refusal(() => h.engine.start('cond', 'manual', request({ go: false }))).status).toBe(202);
    expect(h.history.listRuns({ workflow: 'cond' }).length).toBe(before);
    h.engine.start('cond', 'manual', request({ go: true }));
    expect(h.history.listRuns({ workflow: 'cond' }).length).toBe(before + 1);
  });
});
