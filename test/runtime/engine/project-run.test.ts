import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceProviderHandler } from '../../../local/runtime/model.js';
import { loadProject } from '../../../local/runtime/project/index.js';
import { harness, request, runToEnd } from './helpers.js';
import { json, startScriptedServer } from './http-server.js';

const root = fileURLToPath(new URL('../../fixtures/projects/valid-nested', import.meta.url));

describe('engine on a loaded project', () => {
  let outlook: Awaited<ReturnType<typeof startScriptedServer>>;
  beforeAll(async () => {
    outlook = await startScriptedServer((req, res) => json(res, 200, { sent: true, auth: req.headers.authorization ?? null }));
  });
  afterAll(async () => outlook.stop());

  it('runs router -> child (Stateless) -> managed connection -> service provider -> Response', async () => {
    const jobs: unknown[] = [];
    const automation: ServiceProviderHandler = {
      id: '/serviceproviders/azureautomation',
      operations: ['createJob'],
      async invoke(call) {
        jobs.push(call.connection.parameterValues);
        return { statusCode: 200, body: { jobId: 'j1' } };
      },
    };
    const project = await loadProject(root, {
      serviceProviders: [automation],
      appSettings: { O365_CONNECTION_RUNTIMEURL: `${outlook.url}/apim/office365` },
    });
    const h = harness(project, { serviceProviders: [automation] });
    const { run, response, actions } = await runToEnd(h, 'router', request({ upn: 'ada@contoso.com' }));
    expect(run.status).toBe('Succeeded');
    expect(response).toMatchObject({ statusCode: 200, body: { url: 'http://127.0.0.1:7072/api/x', retries: 3 } });
    expect(actions.Mail?.outputs).toMatchObject({ statusCode: 200, body: { sent: true, auth: 'Key from-local-settings' } });
    expect(jobs).toEqual([{ subscriptionId: 'sub-123' }]);
    expect(run.version).toBe(project.workflows.get('router')?.version);
    const childRun = actions.Call_child?.childRun;
    expect(h.history.getRun('child', childRun?.runName ?? '')?.status).toBe('Succeeded');
  });
});
