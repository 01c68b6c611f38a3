import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SCHEMA = 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#';
const STUB = "@{appsetting('STUB_URL')}";

function workflow(kind: 'Stateful' | 'Stateless', actions: Record<string, unknown>, trigger: Record<string, unknown> = {}): unknown {
  return {
    definition: {
      $schema: SCHEMA,
      contentVersion: '1.0.0.0',
      triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' }, ...trigger } },
      actions,
      outputs: {},
    },
    kind,
  };
}

/** A For each over the trigger's `items`: append the item to `seen`, then POST it to the stub's /item. */
function foreachWorkflow(loop: string, concurrency: Record<string, unknown>): unknown {
  return workflow('Stateful', {
    Init_seen: { type: 'InitializeVariable', inputs: { variables: [{ name: 'seen', type: 'array', value: [] }] }, runAfter: {} },
    For_each_item: {
      type: 'Foreach',
      foreach: "@triggerBody()?['items']",
      ...concurrency,
      actions: {
        Append_seen: { type: 'AppendToArrayVariable', inputs: { name: 'seen', value: '@item()' }, runAfter: {} },
        Call_item: {
          type: 'Http',
          inputs: { method: 'POST', uri: `${STUB}/item`, body: { loop, i: '@item()' } },
          runAfter: { Append_seen: ['Succeeded'] },
        },
      },
      runAfter: { Init_seen: ['Succeeded'] },
    },
    Summary: { type: 'Compose', inputs: "@variables('seen')", runAfter: { For_each_item: ['Succeeded'] } },
  });
}

/**
 * Writes the Logic Apps project the loop/Wait/child resume tests run (a throwaway folder):
 * - loop-seq: sequential For each of Http calls; loop-par: the same with 5 repetitions at a time;
 * - until-loop: Until n = 5, each iteration POSTs n then increments it;
 * - waiter: a 3-second Wait;
 * - parent-own / child-own: a Workflow action calling a stateless child whose trigger sets its own
 *   client tracking id (so the child cannot be found by the parent's).
 */
export async function writeLoopProject(dir: string): Promise<void> {
  const files: Record<string, unknown> = {
    'host.json': { version: '2.0', extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle.Workflows', version: '[1.*, 2.0.0)' } },
    'loop-seq/workflow.json': foreachWorkflow('seq', { operationOptions: 'Sequential' }),
    'loop-par/workflow.json': foreachWorkflow('par', { runtimeConfiguration: { concurrency: { repetitions: 5 } } }),
    'until-loop/workflow.json': workflow('Stateful', {
      Init_n: { type: 'InitializeVariable', inputs: { variables: [{ name: 'n', type: 'integer', value: 0 }] }, runAfter: {} },
      Until_five: {
        type: 'Until',
        expression: "@equals(variables('n'), 5)",
        limit: { count: 10, timeout: 'PT1H' },
        actions: {
          Call_n: { type: 'Http', inputs: { method: 'POST', uri: `${STUB}/item`, body: { loop: 'until', n: "@variables('n')" } }, runAfter: {} },
          Add_one: { type: 'IncrementVariable', inputs: { name: 'n', value: 1 }, runAfter: { Call_n: ['Succeeded'] } },
        },
        runAfter: { Init_n: ['Succeeded'] },
      },
      Summary: { type: 'Compose', inputs: "@variables('n')", runAfter: { Until_five: ['Succeeded'] } },
    }),
    'waiter/workflow.json': workflow('Stateful', {
      Wait_three_seconds: { type: 'Wait', inputs: { interval: { count: 3, unit: 'Second' } }, runAfter: {} },
      Done: { type: 'Compose', inputs: 'waited', runAfter: { Wait_three_seconds: ['Succeeded'] } },
    }),
    'parent-own/workflow.json': workflow('Stateful', {
      Run_child: {
        type: 'Workflow',
        inputs: { host: { workflow: { id: 'child-own' }, triggerName: 'manual' }, body: { ref: "@triggerBody()?['ref']" } },
        runAfter: {},
      },
      After_child: { type: 'Compose', inputs: "@body('Run_child')", runAfter: { Run_child: ['Succeeded'] } },
    }),
    'child-own/workflow.json': workflow(
      'Stateless',
      {
        Call_item: { type: 'Http', inputs: { method: 'POST', uri: `${STUB}/item`, body: { loop: 'child', ref: "@triggerBody()?['ref']" } }, runAfter: {} },
        Response: { type: 'Response', kind: 'Http', inputs: { statusCode: 200, body: "@body('Call_item')" }, runAfter: { Call_item: ['Succeeded'] } },
      },
      { correlation: { clientTrackingId: "@triggerBody()?['ref']" } },
    ),
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), JSON.stringify(content, null, 2));
  }
}
