import { convertToSharedMailbox } from './convert-to-shared-mailbox.js';
import type { RunbookModel } from './runbook-types.js';
import { setDistributionGroupMember } from './set-distribution-group-member.js';
import { setMailboxOffboarding } from './set-mailbox-offboarding.js';
import { setSharedMailboxPermission } from './set-shared-mailbox-permission.js';

/** The runbooks published in the Automation account, one TypeScript model per runbooks/*.ps1. */
export const RUNBOOK_MODELS: readonly RunbookModel[] = [setSharedMailboxPermission, setDistributionGroupMember, convertToSharedMailbox, setMailboxOffboarding];

/** Automation runbook names are case-insensitive. */
export function findRunbook(name: string, models: readonly RunbookModel[] = RUNBOOK_MODELS): RunbookModel | undefined {
  return models.find((m) => m.name.toLowerCase() === name.toLowerCase());
}
