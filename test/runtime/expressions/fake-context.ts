import type { ExpressionContext } from '../../../local/runtime/expressions/index.js';

/** A small in-memory run for workflow-function tests: one trigger, a few actions, a loop. */
export function fakeContext(overrides: Partial<ExpressionContext> = {}): ExpressionContext {
  const actions: Record<string, unknown> = {
    Get_user: {
      name: 'Get_user',
      status: 'Succeeded',
      code: 'OK',
      inputs: { method: 'GET' },
      outputs: { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: { id: 'u1', displayName: 'Ada', groups: ['a', 'b'] } },
    },
    Failed_call: { name: 'Failed_call', status: 'Failed', code: 'BadRequest', error: { code: 'BadRequest', message: 'nope' } },
    Upload: {
      name: 'Upload',
      status: 'Succeeded',
      outputs: {
        body: {
          '$content-type': 'application/x-www-form-urlencoded',
          '$content': Buffer.from('a=1&b=2&b=3').toString('base64'),
          '$formdata': [
            { key: 'a', value: '1' },
            { key: 'b', value: '2' },
            { key: 'b', value: '3' },
          ],
        },
      },
    },
  };
  const variables: Record<string, unknown> = { counter: 3, names: ['x', 'y'], flag: true };
  const parameters: Record<string, unknown> = { tenantId: 'contoso', retries: 4, config: { region: 'eu' } };
  return {
    parameters: (name) => {
      if (!(name in parameters)) throw new Error(`The workflow parameter '${name}' is not found.`);
      return parameters[name];
    },
    appsetting: (name) => ({ GRAPH_BASE_URL: 'http://127.0.0.1:7081' } as Record<string, string>)[name] ?? null,
    trigger: () => ({
      name: 'manual',
      inputs: {},
      outputs: {
        headers: { 'Content-Type': 'application/json' },
        body: { intent: 'Password Reset', fields: { upn: 'ada@contoso.com', notify: null }, items: [1, 2, 3] },
        relativePathParameters: {},
        queries: { mode: 'test' },
      },
      startTime: '2024-01-01T00:00:00Z',
    }),
    actions: (name) => {
      const a = actions[name];
      if (a === undefined) throw new Error(`The action '${name}' does not exist or has not run.`);
      return a;
    },
    result: (scope) => (scope === 'Try' ? [actions['Get_user'], actions['Failed_call']] : []),
    variables: (name) => {
      if (!(name in variables)) throw new Error(`The variable '${name}' is not initialized.`);
      return variables[name];
    },
    item: () => ({ upn: 'bob@contoso.com', index: 1 }),
    items: (loop) => (loop === 'For_each_user' ? { upn: 'carol@contoso.com' } : (() => { throw new Error(`'${loop}' is not an enclosing loop.`); })()),
    iterationIndexes: (loop) => (loop === 'Until_done' ? 2 : 0),
    workflow: () => ({ name: 'password-reset', run: { name: '08584' } }),
    now: () => new Date('2024-03-10T09:08:07.123Z'),
    ...overrides,
  };
}
