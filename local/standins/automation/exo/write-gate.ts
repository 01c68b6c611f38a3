import type { ExchangeModel } from '../exchange-model.js';
import { commandNotFound, type ExchangeSession } from './access.js';

/**
 * For the TypeScript runbook models: the ExchangeModel as a session sees it. A read-only role gets the
 * same "not recognized" error on a write as the PowerShell engine gets from /cmdlet (dispatch.ts).
 */
const WRITE_METHODS: Readonly<Record<string, string>> = {
  setMailbox: 'Set-Mailbox',
  addFullAccess: 'Add-MailboxPermission',
  removeFullAccess: 'Remove-MailboxPermission',
  addSendAs: 'Add-RecipientPermission',
  removeSendAs: 'Remove-RecipientPermission',
  addGroupMember: 'Add-DistributionGroupMember',
  removeGroupMember: 'Remove-DistributionGroupMember',
  setAutoReplyConfiguration: 'Set-MailboxAutoReplyConfiguration',
};

export function exchangeForSession(ex: ExchangeModel, session: ExchangeSession): ExchangeModel {
  if (session.canWrite) return ex;
  return new Proxy(ex, {
    get(target, prop, receiver) {
      const cmdlet = typeof prop === 'string' ? WRITE_METHODS[prop] : undefined;
      if (cmdlet) {
        return () => {
          throw commandNotFound(cmdlet);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
