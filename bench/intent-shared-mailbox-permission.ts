import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** Shared Mailbox Permission through the whole local system; see intent-scenarios.ts. Budget: 1 Graph call (the user look-up). */
const permission = (name: string, fields: Record<string, unknown>, expectedJobs: number, dryRun = false): IntentScenario => ({
  name,
  area: 'shared mailbox permission',
  workflow: 'shared-mailbox-permission',
  intentName: 'Shared Mailbox Permission',
  fields,
  chainBudget: 1,
  expectedStatus: 'success',
  expectedJobs,
  dryRun,
});
const grant = (user: string, mailbox = 'support@contoso.com') => ({ 'Shared Mailbox Email': mailbox, 'User Email': `${user}@contoso.com`, 'Permission Type': 'Full Access', Action: 'Grant' });

const SCENARIOS: IntentScenario[] = [
  permission('grant Full Access', grant('nestor.wilke'), 1),
  permission('grant, already granted', grant('megan.bowen', 'info@contoso.com'), 1),
  permission('revoke Send on Behalf via alias', { 'Shared Mailbox Email': 'accounts@contoso.com', 'User Email': 'patti.fernandez@contoso.com', 'Permission Type': 'Send on Behalf', Action: 'Revoke' }, 1),
  permission('dry run', grant('tomas.novak'), 0, true),
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 945_000);
}
