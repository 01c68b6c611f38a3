import type { RegisteredRoute } from './function-routes.js';
import type { JsonRecord } from './json.js';
import type { ContractProject, WorkflowDocument } from './project.js';

/**
 * In-memory projects for the rule unit tests: each rule is proven able to fail on a small inline
 * workflow, without touching the repository's files.
 */
export const MSI_HELPERS = { type: 'ManagedServiceIdentity', audience: "@parameters('helpersAudience')" };
export const MSI_GRAPH = { type: 'ManagedServiceIdentity', audience: 'https://graph.microsoft.com' };
export const RETRY = { type: 'exponential', count: 3, interval: 'PT5S' };

const DEFAULT_PARAMETERS = {
  helpersBaseUrl: { type: 'String', value: "@appsetting('HELPERS_BASE_URL')" },
  helpersAudience: { type: 'String', value: "@appsetting('HELPERS_AUDIENCE')" },
  graphBaseUrl: { type: 'String', value: "@appsetting('GRAPH_BASE_URL')" },
};

const DEFAULT_ROUTES: RegisteredRoute[] = [
  { file: 'lib/functions/a.ts', functionName: 'plan', route: 'intents/demo/plan', methods: ['POST'] },
  { file: 'lib/functions/a.ts', functionName: 'complete', route: 'idempotency/complete', methods: ['POST'] },
  { file: 'lib/functions/a.ts', functionName: 'secret', route: 'secret/{id}', methods: ['GET'] },
];

/** A definition with the usual single Request trigger and the given actions. */
export function definition(actions: JsonRecord, extra: JsonRecord = {}): JsonRecord {
  return { triggers: { manual: { type: 'Request', kind: 'Http' } }, actions, ...extra };
}

export function fixtureProject(workflows: Record<string, JsonRecord>, overrides: Partial<ContractProject> = {}): ContractProject {
  return {
    root: '/fixture',
    workflows: Object.entries(workflows).map(([name, def]) => ({ name, file: `workflows/${name}/workflow.json`, json: { definition: def, kind: 'Stateful' } })),
    connections: {
      file: 'connections.json',
      json: {
        managedApiConnections: { office365: { connectionRuntimeUrl: "@appsetting('O365')" } },
        serviceProviderConnections: { azureAutomation: { serviceProvider: { id: '/serviceProviders/azureAutomation' } } },
      },
    },
    parameterFiles: [
      { file: 'parameters.json', json: DEFAULT_PARAMETERS },
      { file: 'parameters.azure.json', json: DEFAULT_PARAMETERS },
    ],
    inlineSources: new Set(['lib/inline/build-response.ts']),
    functions: { routePrefix: 'api', routes: DEFAULT_ROUTES, problems: [] },
    ...overrides,
  };
}

export function workflowOf(project: ContractProject, name: string): WorkflowDocument {
  const found = project.workflows.find((w) => w.name === name);
  if (!found) throw new Error(`fixture has no workflow '${name}'`);
  return found;
}

/** A Graph write with everything else right, so only placement can be wrong. */
export function graphWrite(method = 'POST'): JsonRecord {
  return {
    type: 'Http',
    description: 'Writes to the tenant.',
    inputs: { method, uri: "@{parameters('graphBaseUrl')}/v1.0/groups/g/members/$ref", authentication: MSI_GRAPH, retryPolicy: RETRY },
    runAfter: {},
  };
}

export function ifAction(expression: unknown, then: JsonRecord, otherwise: JsonRecord = {}): JsonRecord {
  return { type: 'If', description: 'Branches.', expression, actions: then, else: { actions: otherwise }, runAfter: {} };
}
