import { grantsForMode, loadManifest } from '../manifest.js';
import { need, resourceGroupPath, type Step } from '../context.js';

interface Connection {
  properties?: { statuses?: Array<{ status?: string }>; overallStatus?: string };
}

/**
 * The office365 API connection sends the failure mail as the notification mailbox. Its consent is an interactive
 * sign-in of that mailbox, which neither Bicep nor the CLI can give, so this step checks the connection's status
 * (`Connected` once authorised) and otherwise hands the technician the one manual step.
 */
export const office365Step: Step = {
  id: 'office365-connection',
  title: 'Office 365 connection authorised by the notification mailbox',
  modes: ['customer', 'msp'],
  async run(ctx) {
    const name = need(ctx, 'outputs').office365ConnectionName;
    const id = `${resourceGroupPath(ctx)}/providers/Microsoft.Web/connections/${name}`;
    const connection = (await ctx.run.checkOptional(['resource', 'show', '--ids', id], { plan: { properties: { statuses: [{ status: 'Error' }] } } })) as
      | Connection
      | undefined;
    const statuses = connection?.properties?.statuses ?? [];
    if (statuses.length > 0 && statuses.every((s) => s.status === 'Connected')) {
      return { status: 'unchanged', summary: `${name} is authorised` };
    }
    const delegated = grantsForMode(await loadManifest(ctx.root), 'customer').filter((g) => g.kind === 'delegated');
    const what = delegated.length > 0 ? ` (it lets the workflows ${delegated.map((g) => g.value).join(', ')})` : '';
    const instruction =
      `Authorise the Office 365 connection${what}: Azure portal > resource group ${ctx.options.resourceGroup} > API connection ${name} > ` +
      `Edit API connection > Authorize, sign in as ${ctx.options.notificationEmail}, then Save.`;
    ctx.state.manualSteps = [...(ctx.state.manualSteps ?? []), instruction];
    return { status: 'manual', summary: instruction };
  },
};
