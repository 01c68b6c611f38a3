import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/**
 * New User Creation through the whole local system; see intent-scenarios.ts. The plan checks the domain
 * and that the name is free before creating instead of posting blind, and still has to fit the budget.
 */
const SCENARIOS: IntentScenario[] = [
  {
    name: 'new user + licence + 2 groups',
    area: 'new user creation',
    workflow: 'new-user-creation',
    intentName: 'New User Creation',
    fields: { 'Display Name': 'Bench User', Email: 'bench.user@contoso.com', 'License SKU': 'SPB', 'Group Memberships': 'Sales Team, Engineering' },
    // One call at a time: POST user → SKUs → assignLicense → per group (lookup → add).
    chainBudget: 1 + 2 + 2 * 2,
    expectedStatus: 'success',
  },
  {
    name: 'new user only',
    area: 'new user creation',
    workflow: 'new-user-creation',
    intentName: 'New User Creation',
    fields: { 'Display Name': 'Bench Plain', Email: 'bench.plain@contoso.com' },
    chainBudget: 1,
    expectedStatus: 'success',
  },
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 960_000);
}
