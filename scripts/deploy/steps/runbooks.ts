import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeployProblem } from '../errors.js';
import { need, resourceGroupPath, type DeployContext, type Step } from '../context.js';

/** API version that knows runtime environments, so uploads keep each runbook's PowerShell 7.4 environment (infra/README.md). */
export const AUTOMATION_API = '2024-10-23';
const POLL_ATTEMPTS = 60;
const POLL_DELAY_MS = 5_000;

export async function localRunbookNames(root: string): Promise<string[]> {
  return (await readdir(join(root, 'runbooks')))
    .filter((f) => f.endsWith('.ps1'))
    .map((f) => f.slice(0, -'.ps1'.length))
    .sort();
}

/** What Automation stores and gives back may differ in BOM, line endings and trailing newline only. */
export function sameScript(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').trimEnd();
  return norm(a) === norm(b);
}

function url(ctx: DeployContext, path: string): string {
  const account = `${resourceGroupPath(ctx)}/providers/Microsoft.Automation/automationAccounts/${need(ctx, 'outputs').automationAccountName}`;
  return `https://management.azure.com${account}${path}?api-version=${AUTOMATION_API}`;
}

interface Runbook {
  properties?: { state?: string; runtimeEnvironment?: string };
}

/**
 * Replace-content and publish are long-running ARM operations (202 + Location) that `az rest` does not follow, and
 * it does not show response headers; so the outcome is polled on the resources themselves: the draft until it holds
 * the new script, the runbook until it is Published with that script.
 * https://learn.microsoft.com/rest/api/automation/runbook-draft/replace-content
 * https://learn.microsoft.com/rest/api/automation/runbook/publish
 */
async function pollUntil(ctx: DeployContext, what: string, args: string[], plan: unknown, done: (answer: unknown) => boolean): Promise<void> {
  for (let attempt = 1; attempt <= POLL_ATTEMPTS; attempt++) {
    const answer = await ctx.run.checkOptional(args, { plan });
    if (done(answer)) return;
    await ctx.sleep(POLL_DELAY_MS);
  }
  throw new DeployProblem(`${what} did not finish within ${(POLL_ATTEMPTS * POLL_DELAY_MS) / 60_000} minutes.`, 'Check the Automation account in the portal.');
}

async function publishedContent(ctx: DeployContext, name: string): Promise<string | undefined> {
  const answer = await ctx.run.checkOptional(['rest', '--method', 'get', '--url', url(ctx, `/runbooks/${name}/content`)]);
  return typeof answer === 'string' ? answer : undefined;
}

export const runbooksStep: Step = {
  id: 'runbooks',
  title: 'Runbooks uploaded and published (runbooks/*.ps1)',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { run } = ctx;
    const names = need(ctx, 'outputs').runbookNames;
    const done: string[] = [];
    for (const name of names) {
      const file = `runbooks/${name}.ps1`;
      let script: string;
      try {
        script = await readFile(join(ctx.root, file), 'utf8');
      } catch {
        throw new DeployProblem(`The deployment created runbook ${name}, but ${file} is missing.`, `Restore ${file}`);
      }
      // Published content equal to the file: nothing to do. A runbook never published answers 404 (undefined).
      const published = await publishedContent(ctx, name);
      if (published !== undefined && sameScript(published, script)) continue;
      await run.apply(['rest', '--method', 'put', '--url', url(ctx, `/runbooks/${name}/draft/content`), '--headers', 'Content-Type=text/powershell', '--body', `@${file}`]);
      await pollUntil(ctx, `Uploading ${name}`, ['rest', '--method', 'get', '--url', url(ctx, `/runbooks/${name}/draft/content`)], script, (a) => typeof a === 'string' && sameScript(a, script));
      await run.apply(['rest', '--method', 'post', '--url', url(ctx, `/runbooks/${name}/publish`)]);
      await pollUntil(ctx, `Publishing ${name}`, ['rest', '--method', 'get', '--url', url(ctx, `/runbooks/${name}`)], { properties: { state: 'Published' } }, (a) => (a as Runbook | undefined)?.properties?.state === 'Published');
      done.push(name);
    }
    // The Exchange module of the runtime environment imports for a few minutes after the first deployment; jobs
    // started before that fail with "module not found". Reported, not waited for.
    const env = need(ctx, 'outputs').runtimeEnvironmentName;
    const pkg = (await run.checkOptional(['rest', '--method', 'get', '--url', url(ctx, `/runtimeEnvironments/${env}/packages/ExchangeOnlineManagement`)], {
      plan: { properties: { provisioningState: 'Succeeded' } },
    })) as { properties?: { provisioningState?: string } } | undefined;
    const moduleState = pkg?.properties?.provisioningState;
    const moduleNote = moduleState === 'Succeeded' ? '' : `; ExchangeOnlineManagement is still importing (${moduleState ?? 'not started'}): mailbox intents fail until it finishes, usually within minutes`;
    if (done.length === 0) return { status: 'unchanged', summary: `${names.length} runbooks already published with this content${moduleNote}` };
    return { status: 'changed', summary: `published ${done.join(', ')}${moduleNote}` };
  },
};
