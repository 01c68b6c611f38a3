import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** User Offboarding through the whole local system; see intent-scenarios.ts. */
const offboard = (name: string, fields: Record<string, unknown>, chainBudget: number, expectedJobs: number): IntentScenario => ({
  name,
  area: 'user offboarding',
  workflow: 'user-offboarding',
  intentName: 'User Offboarding',
  fields,
  chainBudget,
  expectedStatus: 'success',
  expectedJobs,
});

const SCENARIOS: IntentScenario[] = [
  // One call at a time: user + PATCH + revoke = 3; the password reset runs beside the revoke.
  offboard('disable only (block + revoke + random password)', { 'User Email': 'adele.vance@contoso.com' }, 3, 0),
  offboard('disable + remove licences', { 'User Email': 'raul.razo@contoso.com', 'Remove Licenses': true }, 5, 0),
  offboard(
    'everything (GAL, forward, auto-reply, convert, manager, licences, groups)',
    {
      'User Email': 'alex.wilber@contoso.com',
      'Remove Licenses': true,
      'Convert to Shared Mailbox': true,
      'Remove Groups': true,
      'Hide from GAL': true,
      'Forward Email To': 'adele.vance@contoso.com',
      'Auto Reply Message': 'Alex has left; please write to Adele.',
      'Grant Manager Access': 'miriam.graham@contoso.com',
    },
    // One call at a time: 5 for disable/revoke/licences, +1 auto-reply, +1 group removal, +1 owner check.
    5 + 3,
    4,
  ),
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 970_000);
}
