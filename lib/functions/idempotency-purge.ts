import { app, type TimerFunctionOptions } from '@azure/functions';
import { getLedger } from '../idempotency/index.js';

/** Timer (hourly, at minute 7): deletes expired ledger rows so the table does not grow forever. */
export const idempotencyPurge: TimerFunctionOptions = {
  schedule: '0 7 * * * *',
  handler: async (_timer, context) => {
    const deleted = await getLedger().purgeExpired(new Date());
    context.log(`Purged ${deleted} expired idempotency rows.`);
  },
};

app.timer('idempotencyPurge', idempotencyPurge);
