import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** Password Reset through the whole local system; see intent-scenarios.ts for what is measured. */
const SCENARIOS: IntentScenario[] = [
  {
    name: 'password reset, generated password',
    area: 'password reset',
    workflow: 'password-reset',
    intentName: 'Password Reset',
    fields: { 'User Email': 'adele.vance@contoso.com' },
    // One call at a time: GET user → PATCH passwordProfile; the plan also checks privileged roles and sync.
    chainBudget: 2,
    expectedStatus: 'success',
  },
  {
    name: 'password reset, supplied password, no forced change',
    area: 'password reset',
    workflow: 'password-reset',
    intentName: 'Password Reset',
    fields: { 'User Email': 'lee.gu@contoso.com', 'Temporary Password': 'Bench-Pass-2026!x', 'Force Change on Login': 'no' },
    chainBudget: 2,
    expectedStatus: 'success',
  },
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 950_000);
}
