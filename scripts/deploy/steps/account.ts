import { DeployProblem } from '../errors.js';
import type { Step } from '../context.js';

interface Account {
  id: string;
  name: string;
  tenantId: string;
  user?: { name?: string };
}

/**
 * Signed in, and to the right place. `az ad` and Graph calls (`az rest` to graph.microsoft.com) use the tenant of
 * the CLI's current subscription, while ARM commands get `--subscription`; a --subscription in another tenant would
 * split the deployment across two tenants, so that is refused.
 */
export const accountStep: Step = {
  id: 'sign-in',
  title: 'Signed in to Azure, subscription chosen',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { options, run } = ctx;
    const plan: Account = { id: '<subscriptionId>', name: '<subscription>', tenantId: '<tenantId>', user: { name: '<you>' } };
    const current = (await run.check(['account', 'show'], { plan })) as Account;
    let target = current;
    if (options.subscription !== undefined) {
      target = (await run.check(['account', 'show', '--subscription', options.subscription], { plan })) as Account;
      if (target.tenantId !== current.tenantId) {
        throw new DeployProblem(
          `Subscription "${target.name}" is in tenant ${target.tenantId}, but the Azure CLI is working in tenant ${current.tenantId}.`,
          `Run 'az account set --subscription ${target.id}' so app registrations and permissions go to the same tenant.`,
        );
      }
    }
    ctx.state.subscriptionId = target.id;
    ctx.state.tenantId = target.tenantId;
    const who = current.user?.name ?? 'unknown account';
    if (!run.planning && !options.yes) {
      const ok = await ctx.io.confirm(
        `Deploy "${options.customer}" (short name ${options.baseName}) as ${who} into subscription "${target.name}" (${target.id}), ` +
          `tenant ${target.tenantId}, resource group ${options.resourceGroup} in ${options.location}?`,
      );
      if (!ok) throw new DeployProblem('Stopped: not confirmed.', 'Nothing was changed. Run again and answer y, or add --yes.');
    }
    return { status: 'unchanged', summary: `${who}, subscription "${target.name}" (${target.id}), tenant ${target.tenantId}` };
  },
};
