import { DeployProblem } from '../errors.js';
import { subscriptionArgs, type Deployment, type DeployContext, type Step } from '../context.js';
import { latestOwnDeployment } from './infrastructure.js';

interface Group {
  id: string;
  location: string;
  tags?: Record<string, string> | null;
}

/**
 * The deployments already in the group, read here (not in the Bicep step) so that a group holding another customer
 * is refused before anything is created for the wrong one.
 */
async function readDeployments(ctx: DeployContext): Promise<void> {
  const { options } = ctx;
  const deployments = (await ctx.run.check(['deployment', 'group', 'list', '--resource-group', options.resourceGroup, ...subscriptionArgs(ctx)], {
    plan: [],
  })) as Deployment[];
  const previousBase = latestOwnDeployment(deployments)?.properties?.parameters?.baseName?.value;
  if (typeof previousBase === 'string' && previousBase !== options.baseName) {
    throw new DeployProblem(
      `Resource group ${options.resourceGroup} already holds the runner for short name '${previousBase}', not '${options.baseName}'.`,
      `Use --base-name ${previousBase} to update it, or another --resource-group for a different customer`,
    );
  }
  ctx.state.deployments = deployments;
}

/** `az group show` exits 3 when the group does not exist (https://learn.microsoft.com/cli/azure/group#az-group-show). */
export const resourceGroupStep: Step = {
  id: 'resource-group',
  title: 'Resource group',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const { options, run } = ctx;
    const name = options.resourceGroup;
    const existing = (await run.checkOptional(['group', 'show', '--name', name, ...subscriptionArgs(ctx)])) as Group | undefined;
    if (existing) {
      ctx.state.resourceGroupId = existing.id;
      ctx.state.resourceGroupTags = existing.tags ?? {};
      await readDeployments(ctx);
      const note = existing.location !== options.location ? ` (group is in ${existing.location}; resources go to ${options.location})` : '';
      return { status: 'unchanged', summary: `${name} exists${note}` };
    }
    const plan: Group = { id: `/subscriptions/<subscriptionId>/resourceGroups/${name}`, location: options.location };
    const created = (await run.apply(['group', 'create', '--name', name, '--location', options.location, ...subscriptionArgs(ctx)], { plan })) as Group;
    ctx.state.resourceGroupId = created.id;
    ctx.state.resourceGroupTags = created.tags ?? {};
    ctx.state.deployments = [];
    return { status: 'changed', summary: `${name} created in ${options.location}` };
  },
};
