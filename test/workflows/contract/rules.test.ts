import { describe, expect, it } from 'vitest';
import { definition, fixtureProject, MSI_GRAPH, MSI_HELPERS, RETRY, workflowOf } from './fixtures.js';
import type { JsonRecord } from './json.js';
import type { ContractProject } from './project.js';
import { graphCallsRule } from './rules/graph-calls.js';
import { helperCallsRule } from './rules/helper-calls.js';
import { actionNamingRule, runAfterCasingRule } from './rules/naming.js';
import { connectionsRule, parameterFilesRule, workflowParametersRule } from './rules/parameters.js';
import { inlineSourceRule, managedConnectionsRule, workflowActionsRule } from './rules/references.js';
import { projectSecretsRule, workflowSecretsRule } from './rules/secrets.js';
import { securePasswordsRule } from './rules/secure-passwords.js';
import { trackedPropertiesRule } from './rules/tracked-properties.js';
import { foreachConcurrencyRule, initializeVariableRule, responsePlacementRule, singleTriggerRule } from './rules/structure.js';
import type { WorkflowRule } from './rules/types.js';

/** Each contract rule on small inline workflows: it passes the right shape and names the broken one. */
function run(rule: WorkflowRule, def: JsonRecord, project?: (p: ContractProject) => ContractProject): string[] {
  const base = fixtureProject({ demo: def, child: definition({}) });
  const p = project ? project(base) : base;
  return rule.check(workflowOf(p, 'demo'), p).map((x) => `${x.action ?? '-'}: ${x.message}`);
}

function helperCall(uri: string, method = 'POST', authentication: unknown = MSI_HELPERS): JsonRecord {
  return { type: 'Http', description: 'Calls a helper.', inputs: { method, uri, authentication }, runAfter: {} };
}

describe('helper-call', () => {
  it('accepts registered routes, run-time segments and route parameters', () => {
    const actions = {
      Plan_demo: helperCall("@{parameters('helpersBaseUrl')}/api/intents/demo/plan"),
      Record_outcome: helperCall("@{parameters('helpersBaseUrl')}/api/idempotency/@{body('Build')?['record']}"),
      Read_secret: helperCall("@{parameters('helpersBaseUrl')}/api/secret/@{body('x')?['id']}?code=1", 'GET'),
    };
    expect(run(helperCallsRule, definition(actions))).toEqual([]);
  });

  it('names unknown routes, wrong methods, wrong auth and a non-standard uri', () => {
    const actions = {
      Plan_other: helperCall("@{parameters('helpersBaseUrl')}/api/intents/other/plan"),
      Get_plan: helperCall("@{parameters('helpersBaseUrl')}/api/intents/demo/plan", 'GET'),
      Plan_demo: helperCall("@{parameters('helpersBaseUrl')}/api/intents/demo/plan", 'POST', { type: 'None' }),
      Plan_concat: helperCall("@concat(parameters('helpersBaseUrl'), '/api/intents/demo/plan')"),
    };
    expect(run(helperCallsRule, definition(actions))).toEqual([
      'Plan_other: POST /api/intents/other/plan: no lib/functions file registers this route under /api/',
      'Get_plan: GET /api/intents/demo/plan: the route is registered only for POST (lib/functions/a.ts)',
      `Plan_demo: authentication must be {type: ManagedServiceIdentity, audience: @parameters('helpersAudience')}, found {"type":"None"}`,
      `Plan_concat: uri must start with @{parameters('helpersBaseUrl')} followed by the route, found "@concat(parameters('helpersBaseUrl'), '/api/intents/demo/plan')"`,
    ]);
  });
});

describe('graph-call', () => {
  const call = (inputs: JsonRecord): JsonRecord => ({ type: 'Http', description: 'Reads Graph.', inputs: { method: 'GET', uri: "@{parameters('graphBaseUrl')}/v1.0/users", ...inputs }, runAfter: {} });
  it('requires MSI with the Graph audience and a retry policy', () => {
    expect(run(graphCallsRule, definition({ Get_users: call({ authentication: MSI_GRAPH, retryPolicy: RETRY }) }))).toEqual([]);
    expect(run(graphCallsRule, definition({ Get_users: call({ authentication: MSI_HELPERS, retryPolicy: { type: 'none' } }) }))).toEqual([
      `Get_users: authentication must be {type: ManagedServiceIdentity, audience: https://graph.microsoft.com}, found {"type":"ManagedServiceIdentity","audience":"@parameters('helpersAudience')"}`,
      'Get_users: a Graph call needs inputs.retryPolicy (429/503/504 are retried by the workflow)',
    ]);
  });
});

describe('parameters', () => {
  const uses = definition({ Compose_mail: { type: 'Compose', description: 'Mail.', inputs: "@parameters('notificationEmail')", runAfter: {} } });
  it('names each parameter file missing a parameter the workflow uses', () => {
    expect(run(workflowParametersRule, uses)).toEqual([
      "Compose_mail: uses parameters('notificationEmail') but parameters.json does not define it",
      "Compose_mail: uses parameters('notificationEmail') but parameters.azure.json does not define it",
    ]);
  });

  it('refuses literals, other functions and secure types in parameter files', () => {
    const p = fixtureProject({}, {
      parameterFiles: [
        { file: 'parameters.json', json: { a: { type: 'String', value: 'https://literal' }, b: { type: 'securestring', value: "@appsetting('B')" }, c: { type: 'Object', value: { k: "@concat(appsetting('C'), 'x')" } } } },
      ],
    });
    expect(parameterFilesRule.check(p).map((x) => x.message)).toEqual([
      `parameter 'a': value must be an @appsetting('NAME') reference, found "https://literal"`,
      "parameter 'b': type 'securestring' is not a Standard parameter type (no securestring/secureobject)",
      "parameter 'c': only @appsetting() may appear in parameters.json, found concat()",
    ]);
    expect(parameterFilesRule.check(fixtureProject({}))).toEqual([]);
  });

  it('allows only parameters()/appsetting() in connections.json, and checks its parameters exist', () => {
    const p = fixtureProject({}, { connections: { file: 'connections.json', json: { managedApiConnections: { office365: { authentication: "@parameters('o365Authentication')", url: "@toLower(appsetting('X'))" } } } } });
    expect(connectionsRule.check(p).map((x) => x.message)).toEqual([
      'managedApiConnections.office365: only @parameters() / @appsetting() may appear in connections.json, found tolower()',
      "managedApiConnections.office365: uses parameters('o365Authentication') but parameters.json does not define it",
      "managedApiConnections.office365: uses parameters('o365Authentication') but parameters.azure.json does not define it",
    ]);
  });
});

describe('authoring rules', () => {
  const compose = (extra: JsonRecord = {}): JsonRecord => ({ type: 'Compose', description: 'Builds.', inputs: 1, runAfter: {}, ...extra });

  it('exactly one trigger', () => {
    expect(run(singleTriggerRule, definition({}))).toEqual([]);
    expect(run(singleTriggerRule, { triggers: { a: {}, b: {} }, actions: {} })).toEqual(['-: a Standard workflow has exactly one trigger, found 2']);
  });

  it('InitializeVariable only at the top level, Response never in a loop', () => {
    const init = { type: 'InitializeVariable', description: 'Counter.', inputs: { variables: [] }, runAfter: {} };
    const respond = { type: 'Response', description: 'Answers.', inputs: { statusCode: 200 }, runAfter: {} };
    expect(run(initializeVariableRule, definition({ Init_counter: init }))).toEqual([]);
    expect(run(initializeVariableRule, definition({ Group_steps: { type: 'Scope', description: 'S.', actions: { Init_counter: init }, runAfter: {} } }))).toEqual([
      "Init_counter: InitializeVariable must be a top-level action, found inside Scope 'Group_steps'",
    ]);
    const loop = { type: 'Until', description: 'Polls.', expression: '@true', limit: { count: 3 }, actions: { Check: { type: 'If', description: 'C.', expression: '@true', actions: { Respond: respond }, runAfter: {} } }, runAfter: {} };
    expect(run(responsePlacementRule, definition({ Poll_job: loop }))).toEqual(["Respond: Response inside Until 'Poll_job': a run answers its caller once"]);
    expect(run(responsePlacementRule, definition({ Respond: respond }))).toEqual([]);
  });

  it('Foreach sets exactly one of concurrency and Sequential', () => {
    const each = (extra: JsonRecord): JsonRecord => definition({ For_each_item: { type: 'Foreach', description: 'Each.', foreach: '@createArray()', actions: {}, runAfter: {}, ...extra } });
    expect(run(foreachConcurrencyRule, each({ runtimeConfiguration: { concurrency: { repetitions: 2 } } }))).toEqual([]);
    expect(run(foreachConcurrencyRule, each({ operationOptions: 'Sequential' }))).toEqual([]);
    expect(run(foreachConcurrencyRule, each({ operationOptions: 'Sequential', runtimeConfiguration: { concurrency: { repetitions: 2 } } }))[0]).toContain('both');
    expect(run(foreachConcurrencyRule, each({}))[0]).toContain('neither');
  });

  it('managed actions use referenceName of an existing connection', () => {
    const mail = (connection: JsonRecord): JsonRecord => definition({ Send_mail: { type: 'ApiConnection', description: 'Mail.', inputs: { host: { connection }, method: 'post', path: '/v2/Mail' }, runAfter: {} } });
    expect(run(managedConnectionsRule, mail({ referenceName: 'office365' }))).toEqual([]);
    expect(run(managedConnectionsRule, mail({ name: "@parameters('$connections')['office365']['connectionId']" }))).toEqual([
      'Send_mail: inputs mention $connections: use host.connection.referenceName',
      'Send_mail: managed connector action needs inputs.host.connection.referenceName',
    ]);
    const job = definition({ Start_job: { type: 'ServiceProvider', description: 'Job.', inputs: { serviceProviderConfiguration: { connectionName: 'automation2', operationId: 'createJob' } }, runAfter: {} } });
    expect(run(managedConnectionsRule, job)).toEqual(["Start_job: connectionName 'automation2' is not in connections.json serviceProviderConnections"]);
  });

  it('Workflow actions are type "Workflow" and target an existing folder', () => {
    const call = (type: string, id: string): JsonRecord => definition({ Run_child: { type, description: 'Child.', inputs: { host: { workflow: { id } } }, runAfter: {} } });
    expect(run(workflowActionsRule, call('Workflow', 'child'))).toEqual([]);
    expect(run(workflowActionsRule, call('InvokeWorkflow', 'child'))).toEqual(['Run_child: type must be "Workflow" (found "InvokeWorkflow")']);
    expect(run(workflowActionsRule, call('Workflow', 'missing'))).toEqual(["Run_child: inputs.host.workflow.id 'missing' is not a folder under workflows/ (have: demo, child)"]);
  });

  it('one runAfter casing; Verb_Object names with descriptions', () => {
    const mixed = definition({ First_step: compose(), Second_step: compose({ runAfter: { First_step: ['Succeeded'] } }), Third_step: compose({ runAfter: { Second_step: ['FAILED'] } }) });
    expect(run(runAfterCasingRule, mixed)).toEqual(['-: runAfter statuses mix casings: Pascal ("Succeeded" in Second_step), UPPER ("FAILED" in Third_step)']);
    expect(run(runAfterCasingRule, definition({ First_step: compose(), Second_step: compose({ runAfter: { First_step: ['Succeeded', 'TimedOut'] } }) }))).toEqual([]);
    expect(run(actionNamingRule, definition({ 'set password': compose(), Build_reply: compose({ description: ' ' }), Respond: compose() }))).toEqual([
      'set password: name must be Verb_Object style: capitalised first word, words joined by "_", letters and digits only',
      'Build_reply: needs a "description" saying what the action is for',
    ]);
  });

  it('trackedProperties read only action() and parameters', () => {
    const tracked = (trackedProperties: JsonRecord): JsonRecord => definition({ Plan_demo: compose({ trackedProperties }) });
    expect(run(trackedPropertiesRule, tracked({ status: "@action()?['outputs']?['statusCode']", env: "@parameters('helpersBaseUrl')" }))).toEqual([]);
    expect(run(trackedPropertiesRule, tracked({ ticket: "@triggerBody()?['ticketId']", user: "@body('Plan')?['user']" }))).toEqual([
      'Plan_demo: trackedProperties may read only action() and parameters(), found triggerbody(), body()',
    ]);
  });

  it('JavaScriptCode names an existing lib/inline module', () => {
    const code = (metadata: JsonRecord): JsonRecord => definition({ Build_response: { type: 'JavaScriptCode', description: 'Code.', inputs: { code: 'return 1;' }, metadata, runAfter: {} } });
    expect(run(inlineSourceRule, code({ inlineSource: 'lib/inline/build-response.ts' }))).toEqual([]);
    expect(run(inlineSourceRule, code({ inlineSource: 'lib/inline/gone.ts' }))).toEqual(["Build_response: metadata.inlineSource 'lib/inline/gone.ts' is not a file under lib/inline/"]);
    expect(run(inlineSourceRule, code({}))[0]).toContain('needs metadata.inlineSource');
  });
});

describe('secrets', () => {
  const withInputs = (inputs: unknown, extra: JsonRecord = {}): JsonRecord => definition({ Set_password: { type: 'Http', description: 'Sets.', inputs, runAfter: {}, ...extra } });

  it('finds literal passwords, tokens, signatures, keys and base64 blobs', () => {
    const inputs = {
      body: { passwordProfile: { password: 'Hunter2!' } },
      headers: { Authorization: 'Bearer abcdefghijklmnop123456' },
      uri: 'https://x.blob.core.windows.net/c?sv=2020&sig=AbCdEf123456%2B',
      storage: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFyYmF6cXV4',
      blob: 'Q2hlY2tzIGJhc2U2NCBkZXRlY3Rpb24gd2l0aCBsb25nIHRleHQ1',
      code: 'const c = {"password": "letmein"};',
    };
    expect(run(workflowSecretsRule, withInputs(inputs))).toEqual([
      'Set_password: inputs.body.passwordProfile.password holds a literal value under "password"',
      'Set_password: inputs.headers.Authorization holds a literal Bearer token',
      'Set_password: inputs.uri holds a SAS signature (sig=)',
      'Set_password: inputs.storage holds a storage AccountKey=',
      'Set_password: inputs.blob holds a long base64 string (key or token?)',
      'Set_password: inputs.code holds a literal password in embedded JSON',
    ]);
  });

  it('accepts values computed at run time and prose about passwords', () => {
    const inputs = {
      body: { passwordProfile: { password: "@body('Prepare')?['password']" } },
      headers: { Authorization: "Bearer @{body('Token')?['access_token']}" },
      text: 'the user "supplied password":"to a generated password" stays in the one-time link',
      code: 'var t="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";',
    };
    expect(run(workflowSecretsRule, withInputs(inputs))).toEqual([]);
  });

  it('scans connections.json and parameter files too', () => {
    const p = fixtureProject({}, { connections: { file: 'connections.json', json: { managedApiConnections: { office365: { authentication: { type: 'Raw', scheme: 'Key', parameter: 'sig=abcdef0123456789' } } } } } });
    expect(projectSecretsRule.check(p).map((x) => `${x.file}: ${x.message}`)).toEqual(['connections.json: managedApiConnections.office365.authentication.parameter holds a SAS signature (sig=)']);
  });

  it('requires secureData inputs and outputs where the inputs carry a password', () => {
    const inputs = { body: { passwordProfile: { password: "@body('Prepare')?['password']" } } };
    expect(run(securePasswordsRule, withInputs(inputs, { runtimeConfiguration: { secureData: { properties: ['inputs', 'outputs'] } } }))).toEqual([]);
    expect(run(securePasswordsRule, withInputs(inputs, { runtimeConfiguration: { secureData: { properties: ['inputs'] } } }))).toEqual([
      'Set_password: inputs carry a password but runtimeConfiguration.secureData.properties lacks "outputs"',
    ]);
    expect(run(securePasswordsRule, withInputs({ body: { secret: "@coalesce(triggerBody()?['fields']?['temporaryPassword'], '')" } }))).toHaveLength(1);
    // Testing or stripping the property does not hand the password on.
    const plan = { body: { supplied: "@not(empty(triggerBody()?['temporaryPassword']))", request: "@removeProperty(triggerBody(), 'temporaryPassword')" } };
    expect(run(securePasswordsRule, withInputs(plan))).toEqual([]);
  });
});
