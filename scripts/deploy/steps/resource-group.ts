import { subscriptionArgs, type Step } from '../context.js';

interface Group {
  id: string;
  location: string;
}

/** `az group show` exits 3 when the group does not exist (https://learn.microsoft.com/cli/azure/group#az-group-show). */
export const resourceGroupStep: Step = {
  id: 'resource-group',
  title: 'Resource group',
  modes: ['customer'],
  async run(ctx) {
    const { options, run } = ctx;
    const name = options.resourceGroup;
    const existing = (await run.checkOptional(['group', 'show', '--name', name, ...subscriptionArgs(ctx)])) as Group | undefined;
    if (existing) {
      ctx.state.resourceGroupId = existing.id;
      const note = existing.location !== options.location ? ` (group is in ${existing.location}; resources go to ${options.location})` : '';
      return { status: 'unchanged', summary: `${name} exists${note}` };
    }
    const plan: Group = { id: `/subscriptions/<subscriptionId>/resourceGroups/${name}`, location: options.location };
    const created = (await run.apply(['group', 'create', '--name', name, '--location', options.location, ...subscriptionArgs(ctx)], { plan })) as Group;
    ctx.state.resourceGroupId = created.id;
    return { status: 'changed', summary: `${name} created in ${options.location}` };
  },
};
