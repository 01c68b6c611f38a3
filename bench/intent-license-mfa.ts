import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** License Assignment and MFA Reset through the whole local system; see intent-scenarios.ts for what is measured. */
const SCENARIOS: IntentScenario[] = [
  {
    name: 'licence assign (product name)',
    area: 'license assignment',
    workflow: 'license-assignment',
    intentName: 'License Assignment',
    fields: { 'User Email': 'adele.vance@contoso.com', 'License SKU': 'Microsoft 365 E3', Action: 'Assign' },
    chainBudget: 4,
    expectedStatus: 'success',
  },
  {
    // A user needs a usage location before a licence can be assigned, so the plan sets it first
    // (usageLocation: https://learn.microsoft.com/graph/api/resources/user?view=graph-rest-1.0#properties);
    // the budget stays 4.
    name: 'licence assign + usage location',
    area: 'license assignment',
    workflow: 'license-assignment',
    intentName: 'License Assignment',
    fields: { 'User Email': 'lee.gu@contoso.com', 'License SKU': 'SPB', Action: 'Assign', 'Usage Location': 'GB' },
    chainBudget: 4,
    expectedStatus: 'success',
  },
  {
    name: 'licence remove',
    area: 'license assignment',
    workflow: 'license-assignment',
    intentName: 'License Assignment',
    fields: { 'User Email': 'raul.razo@contoso.com', 'License SKU': 'SPB', Action: 'Remove' },
    chainBudget: 3,
    expectedStatus: 'success',
  },
  {
    name: 'licence already assigned',
    area: 'license assignment',
    workflow: 'license-assignment',
    intentName: 'License Assignment',
    fields: { 'User Email': 'enrico.cattaneo@contoso.com', 'License SKU': 'SPB', Action: 'Assign' },
    chainBudget: 4,
    expectedStatus: 'success',
  },
  {
    name: 'MFA reset, 2 methods (default = Authenticator, the usual)',
    area: 'mfa reset',
    workflow: 'mfa-reset',
    intentName: 'MFA Reset',
    fields: { 'User Email': 'alex.wilber@contoso.com' },
    // One call at a time: user + list + 2 deletes; the plan also checks admin roles and revokes sessions.
    chainBudget: 2 + 2,
    expectedStatus: 'success',
  },
  {
    // The default is the phone, not the usual Authenticator: Graph beta names it (read beside the $batch),
    // so it is removed last without a refused call and no method is left registered.
    name: 'MFA reset, 2 methods (default = phone)',
    area: 'mfa reset',
    workflow: 'mfa-reset',
    intentName: 'MFA Reset',
    fields: { 'User Email': 'adele.vance@contoso.com' },
    // One call at a time: user + list + 2 deletes; the plan also checks admin roles and revokes sessions.
    chainBudget: 2 + 2,
    expectedStatus: 'success',
  },
  {
    name: 'MFA reset, 10 methods',
    area: 'mfa reset',
    workflow: 'mfa-reset',
    intentName: 'MFA Reset',
    fields: { 'User Email': 'miriam.graham@contoso.com' },
    chainBudget: 2 + 10,
    expectedStatus: 'success',
  },
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 940_000);
}
