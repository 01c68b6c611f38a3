import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRuntime, type RuntimeHandle } from '../../local/runtime/index.js';
import { CHROMIUM_ARGS, chromiumPath, describeWithBrowser } from '../support/browser.js';

/**
 * The run-history page's Intent and Outcome columns and filters (issue 11, item 8), on the real engine.
 * A small project mirrors what every workflow in workflows/ does: a Compose named Track_run_outcome with
 * tracked properties (https://learn.microsoft.com/azure/logic-apps/monitor-workflows-collect-diagnostic-data#tracked-properties),
 * then a Terminate with runStatus Failed for a failed outcome
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-workflow-actions-triggers#terminate-action).
 */
const SAMPLE_HOST = resolve(import.meta.dirname, '../fixtures/runtime-projects/sample/host.json');

const INTENT_WORKFLOW = {
  definition: {
    $schema: 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#',
    contentVersion: '1.0.0.0',
    triggers: { manual: { type: 'Request', kind: 'Http', inputs: { method: 'POST' } } },
    actions: {
      Track_run_outcome: {
        type: 'Compose',
        inputs: { intent: "@{triggerBody()?['intent']}", ticket: "@{triggerBody()?['ticket']}", target: "@{triggerBody()?['target']}", outcome: "@{triggerBody()?['outcome']}" },
        runAfter: {},
        trackedProperties: {
          intent: "@action()?['inputs']?['intent']",
          ticket: "@action()?['inputs']?['ticket']",
          target: "@action()?['inputs']?['target']",
          outcome: "@action()?['inputs']?['outcome']",
        },
      },
      Check_run_failed: {
        type: 'If',
        expression: "@equals(outputs('Track_run_outcome')?['outcome'], 'failed')",
        actions: { End_run_as_failed: { type: 'Terminate', inputs: { runStatus: 'Failed', runError: { code: 'IntentFailed', message: 'The intent failed.' } }, runAfter: {} } },
        else: { actions: {} },
        runAfter: { Track_run_outcome: ['Succeeded'] },
      },
    },
    outputs: {},
  },
  kind: 'Stateful',
};

let runtime: RuntimeHandle | undefined;
let root = '';
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  if (!chromiumPath) return;
  root = await mkdtemp(join(tmpdir(), 'run-outcome-page-'));
  const project = join(root, 'project');
  await mkdir(join(project, 'intent'), { recursive: true });
  await cp(SAMPLE_HOST, join(project, 'host.json'));
  await writeFile(join(project, 'intent', 'workflow.json'), JSON.stringify(INTENT_WORKFLOW));
  runtime = await startRuntime({ projectDir: project, dataDir: join(root, 'data'), port: 0 });
  const runs = [
    { intent: 'password-reset', ticket: '1', target: 'ada@contoso.com', outcome: 'success' },
    { intent: 'password-reset', ticket: '2', target: 'bob@contoso.com', outcome: 'failed' },
    { intent: 'mfa-reset', ticket: '3', target: 'cy@contoso.com', outcome: 'failed' },
    { intent: 'mfa-reset', ticket: '4', target: 'di@contoso.com', outcome: 'partial_success' },
  ];
  for (const body of runs) {
    await fetch(runtime.triggerUrl('intent'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  await runtime.engine.drain();
  context = await chromium.launchPersistentContext(join(root, 'chromium'), { executablePath: chromiumPath, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
}, 120_000);

afterAll(async () => {
  await context?.close();
  await runtime?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

async function rows(): Promise<string[]> {
  return page.locator('[data-testid=run-row]').evaluateAll((els) =>
    els.map((e) => `${e.querySelector('[data-testid=intent]')?.textContent ?? ''}:${e.querySelector('[data-testid=outcome]')?.textContent ?? ''}:${e.querySelector('[data-testid=status]')?.textContent ?? ''}`).sort(),
  );
}

describeWithBrowser('run-history page: intent and outcome', () => {
  it('shows intent and outcome for every run, and a failed outcome as a Failed run', async () => {
    await page.goto(`${runtime!.url}/runs`);
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(4);
    expect(await rows()).toEqual(['mfa-reset:failed:Failed', 'mfa-reset:partial_success:Succeeded', 'password-reset:failed:Failed', 'password-reset:success:Succeeded']);
  });

  it('filters on outcome, on intent, and on both', async () => {
    await page.goto(`${runtime!.url}/runs`);
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(4);
    // Intents seen in the listed runs become filter options.
    expect(await page.locator('#f-intent option').evaluateAll((els) => els.map((e) => e.getAttribute('value')))).toEqual(expect.arrayContaining(['mfa-reset', 'password-reset']));
    await page.selectOption('#f-outcome', 'failed');
    await page.click('#f-apply');
    await page.waitForURL(/outcome=failed/);
    await expect.poll(() => rows()).toEqual(['mfa-reset:failed:Failed', 'password-reset:failed:Failed']);

    await page.goto(`${runtime!.url}/runs?intent=mfa-reset`);
    await expect.poll(() => rows()).toEqual(['mfa-reset:failed:Failed', 'mfa-reset:partial_success:Succeeded']);
    expect(await page.locator('#f-intent').inputValue()).toBe('mfa-reset');

    await page.goto(`${runtime!.url}/runs?intent=password-reset&outcome=success`);
    await expect.poll(() => rows()).toEqual(['password-reset:success:Succeeded']);

    await page.goto(`${runtime!.url}/runs?outcome=failed&intent=new-user-creation`);
    await page.waitForSelector('td.empty');
    expect(await page.locator('[data-testid=run-row]').count()).toBe(0);
  });
});
