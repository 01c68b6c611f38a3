import { AppError } from '../errors/app-error.js';

/**
 * Table Storage outcomes the ledger relies on (409 exists, 412 ETag moved, 404 gone) are read from
 * the status; everything else (connection refused, 5xx, auth) becomes storage_unavailable, so a
 * storage outage is never mistaken for a duplicate or a failure.
 */
export function storageStatus(err: unknown): number | undefined {
  if (err && typeof err === 'object' && 'statusCode' in err && typeof (err as { statusCode?: unknown }).statusCode === 'number') {
    return (err as { statusCode: number }).statusCode;
  }
  return undefined;
}

export function storageUnavailable(err: unknown, step: string): AppError {
  return new AppError({
    code: 'storage_unavailable',
    message: 'The idempotency ledger (Table Storage) could not be reached, so the request was not started.',
    status: 503,
    fix: 'Retry shortly; if it persists check the storage account and the Function App\'s access to it.',
    step,
    retryable: true,
    upstreamStatus: storageStatus(err),
    cause: err,
  });
}
