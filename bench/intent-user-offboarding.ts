import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** User Offboarding through the whole local system; see intent-scenarios.ts. */
const offboard = (name: string, fields: Record<string, unknown>, referenceChain: number, expectedJobs: number): IntentScenario => ({
  name,
  area: 'user offboarding',
  workflow: 'user-offboarding',
  intentName: 'User Offboarding',
  fields,
  referenceChain,
  expectedStatus: 'success',
  expectedJobs,
});

const SCENARIOS: IntentScenario[] = [
  // Reference: user + PATCH + revoke = 3 (it did no password reset; we run it beside the revoke).
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
    // Reference 5 for disable/revoke/licences; it never set an auto-reply (+1), removed groups (+1) or checked owners (+1).
    5 + 3,
    4,
  ),
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 970_000);
}
