import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeployProblem } from '../errors.js';
import { isNotFound } from '../az-cli.js';
import { need, type DeployContext, type Step } from '../context.js';

export const ROUTER_WORKFLOW = 'thread-webhook';
/** Workflow Triggers - List Callback Url (App Service / Logic Apps Standard): https://learn.microsoft.com/rest/api/appservice/workflow-triggers/list-callback-url */
export const CALLBACK_API = '2024-04-01';
const ATTEMPTS = 13;
const DELAY_MS = 10_000;

/** The router's Request trigger, read from the workflow file so a renamed trigger cannot break the deploy. */
export async function routerTriggerName(root: string): Promise<string> {
  const path = join(root, 'workflows', ROUTER_WORKFLOW, 'workflow.json');
  const workflow = JSON.parse(await readFile(path, 'utf8')) as { definition?: { triggers?: Record<string, { type?: string }> } };
  const trigger = Object.entries(workflow.definition?.triggers ?? {}).find(([, t]) => t.type === 'Request');
  if (!trigger) throw new DeployProblem(`${path} has no Request trigger.`, 'Restore the router workflow.');
  return trigger[0];
}

/** The listCallbackUrl address of the router's trigger (also used by npm run customer:add in msp mode). */
export function callbackUrlFor(subscriptionId: string, resourceGroup: string, logicAppName: string, trigger: string): string {
  const site = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${logicAppName}`;
  return (
    `https://management.azure.com${site}/hostruntime/runtime/webhooks/workflow/api/management/workflows/${ROUTER_WORKFLOW}` +
    `/triggers/${trigger}/listCallbackUrl?api-version=${CALLBACK_API}`
  );
}

function callbackUrlUrl(ctx: DeployContext, trigger: string): string {
  return callbackUrlFor(need(ctx, 'subscriptionId'), ctx.options.resourceGroup, need(ctx, 'outputs').logicAppName, trigger);
}

/**
 * Reads the router's callback URL. listCallbackUrl is a POST but changes nothing (it returns the URL signed with the
 * workflow's existing key). Right after a deployment the Logic App may not have loaded the workflows yet and answers
 * 404, so it is asked again for up to two minutes. The URL is a credential: it goes to the terminal only.
 */
export const webhookStep: Step = {
  id: 'webhook-url',
  title: 'Webhook URL for Thread',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const args = ['rest', '--method', 'post', '--url', callbackUrlUrl(ctx, await routerTriggerName(ctx.root))];
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = (await ctx.run.check(args, { plan: { value: '<webhookUrl>' } })) as { value?: string };
        if (!answer.value) throw new DeployProblem('Azure answered without a callback URL.', 'Open the thread-webhook workflow in the portal to check it loaded.');
        // msp mode: Thread gets one URL per customer (npm run customer:add), never the bare router URL.
        if (ctx.options.mode === 'msp') return { status: 'unchanged', summary: "router ready; each customer's URL comes from npm run customer:add" };
        ctx.state.webhookUrl = answer.value;
        return { status: 'unchanged', summary: 'read (printed at the end)' };
      } catch (error) {
        if (!isNotFound(error) || attempt >= ATTEMPTS) throw error;
        await ctx.sleep(DELAY_MS);
      }
    }
  },
};
