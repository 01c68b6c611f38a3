import { runBatch, type BatchItemResult } from '../../graph/batch.js';
import type { GraphClient } from '../../graph/client.js';
import { userRequest, usersByMailOrAliasRequest } from '../../lookups/requests.js';

/**
 * Who already holds the new account's sign-in name or addresses, in one $batch: the UPN itself, and
 * anyone whose mail, proxy address or alias (mailNickname) is the same. Graph would refuse the create
 * with ObjectConflict halfway through the workflow; asking first lets the plan refuse with the name of
 * the account in the way, or recognise the account an earlier run of this ticket created.
 */
export interface ExistingAccount {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  mailNickname: string | null;
  assignedSkuIds: string[];
}

export interface ExistingAccounts {
  /** The account with exactly this UPN, if any. */
  byUpn: ExistingAccount | undefined;
  /** Other accounts using the UPN as mail / proxy address, or the alias. */
  clashes: ExistingAccount[];
}

const SELECT = ['id', 'userPrincipalName', 'displayName', 'mail', 'mailNickname', 'assignedLicenses'];
const STEP = 'check_existing_user';

function toAccount(raw: Record<string, unknown>): ExistingAccount {
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const licenses = Array.isArray(raw.assignedLicenses) ? (raw.assignedLicenses as Array<{ skuId?: unknown }>) : [];
  return {
    id: String(raw.id),
    userPrincipalName: str(raw.userPrincipalName) ?? '',
    displayName: str(raw.displayName) ?? '',
    mail: str(raw.mail),
    mailNickname: str(raw.mailNickname),
    assignedSkuIds: licenses.map((l) => String(l.skuId ?? '').toLowerCase()),
  };
}

function answerOrThrow(item: BatchItemResult | undefined, allowNotFound: boolean): BatchItemResult | undefined {
  if (!item) throw new Error('No $batch answer for the existing-account check.');
  if (item.error && !(allowNotFound && (item.status === 404 || item.status === 400))) throw item.error;
  return item.error ? undefined : item;
}

export async function findExistingAccounts(graph: GraphClient, upn: string, mailNickname: string): Promise<ExistingAccounts> {
  const answers = await runBatch(graph, [userRequest('byUpn', upn, SELECT), usersByMailOrAliasRequest('clash', upn, mailNickname, SELECT)], { step: STEP });
  // 404 (and 400 for a UPN Graph cannot use as a key) just mean "nobody has this UPN".
  const byUpnItem = answerOrThrow(answers.get('byupn'), true);
  const clashItem = answerOrThrow(answers.get('clash'), false);
  const byUpn = byUpnItem ? toAccount(byUpnItem.body as Record<string, unknown>) : undefined;
  const others = ((clashItem?.body as { value?: Array<Record<string, unknown>> } | undefined)?.value ?? []).map(toAccount);
  const clashes = others.filter((o) => o.id.toLowerCase() !== byUpn?.id.toLowerCase());
  return { byUpn, clashes };
}
