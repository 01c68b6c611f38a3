import { need, subscriptionArgs, type Step } from '../context.js';

/**
 * msp mode: the technician running the deploy may onboard customers. `npm run customer:add` calls the helpers'
 * POST /api/msp/verify-tenant with the technician's own Entra token, and only the object ids in the helpers' app
 * setting ONBOARDING_CALLER_OBJECT_IDS get through (docs/msp-mode.md "Settings"). The id is added, never
 * replacing ids already there; redeploys keep it because app settings are merged, not replaced (infra/README.md
 * "App settings: merged, never replaced").
 */
export const ONBOARDING_SETTING = 'ONBOARDING_CALLER_OBJECT_IDS';

interface SignedInUser {
  id: string;
  userPrincipalName?: string;
}

export function withCaller(current: string | undefined, id: string): string | undefined {
  const ids = (current ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (ids.includes(id.toLowerCase())) return undefined;
  return [...ids, id.toLowerCase()].join(',');
}

export const onboardingCallerStep: Step = {
  id: 'onboarding-caller',
  title: 'You may onboard customers (helpers app setting ONBOARDING_CALLER_OBJECT_IDS)',
  modes: ['msp'],
  async run(ctx) {
    const { options, run } = ctx;
    const helpersName = need(ctx, 'outputs').helpersName;
    const me = (await run.check(['ad', 'signed-in-user', 'show', '--query', '{id:id, userPrincipalName:userPrincipalName}'], {
      plan: { id: '<your object id>', userPrincipalName: '<you>' },
    })) as SignedInUser;
    // Only this one setting is read: the helpers' other settings are none of this step's business.
    const found = (await run.check(
      ['functionapp', 'config', 'appsettings', 'list', '--name', helpersName, '--resource-group', options.resourceGroup, '--query', `[?name=='${ONBOARDING_SETTING}']`, ...subscriptionArgs(ctx)],
      { plan: [] },
    )) as Array<{ name: string; value?: string }>;
    const next = withCaller(found[0]?.value, me.id);
    const who = me.userPrincipalName ?? me.id;
    if (next === undefined) return { status: 'unchanged', summary: `${who} may already onboard customers` };
    await run.apply([
      'functionapp', 'config', 'appsettings', 'set', '--name', helpersName, '--resource-group', options.resourceGroup, '--settings', `${ONBOARDING_SETTING}=${next}`, ...subscriptionArgs(ctx),
    ]);
    return { status: 'changed', summary: `${who} may now onboard customers (npm run customer:add); other technicians: add their object ids to ${ONBOARDING_SETTING}` };
  },
};
