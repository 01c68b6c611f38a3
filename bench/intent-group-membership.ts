import type { BenchRow } from './row.js';
import { runIntentScenarios, type IntentScenario } from './intent-scenarios.js';

/** Add User to Group / Remove User from Group through the whole local system; see intent-scenarios.ts. */
const area = 'group membership';
const add = (name: string, user: string, groups: string, chainBudget: number, expectedJobs = 0): IntentScenario => ({
  name,
  area,
  workflow: 'add-user-to-group',
  intentName: 'Add User to Group',
  fields: { 'User Email': `${user}@contoso.com`, 'Group Name': groups },
  // One call at a time: user → group → membership check → write (4), 3 when there is nothing to write.
  chainBudget,
  expectedStatus: 'success',
  expectedJobs,
});

const SCENARIOS: IntentScenario[] = [
  add('add, 1 security group', 'nestor.wilke', 'Sales - EMEA', 4),
  add("add, 3 groups (security, M365, O'Brien)", 'rosa.diaz', "IT Helpdesk, Marketing, O'Brien Team", 4),
  add('add, already a member', 'adele.vance', 'Sales Team', 3),
  add('add, distribution list (runbook)', 'joni.sherman', 'All Staff', 4, 1),
  {
    name: 'remove, 1 security group',
    area,
    workflow: 'remove-user-from-group',
    intentName: 'Remove User from Group',
    fields: { 'User Email': 'omar.haddad@contoso.com', 'Group Name': 'Engineering' },
    chainBudget: 4,
    expectedStatus: 'success',
    expectedJobs: 0,
  },
];

export async function run(): Promise<BenchRow[]> {
  return runIntentScenarios(SCENARIOS, 930_000);
}
