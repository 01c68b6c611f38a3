import { AppError } from '../../errors/app-error.js';
import { ONE_TIME_LINK_TABLE } from '../../passwords/one-time-link-store.js';
import { getTableClient, tableStorageConfigFromEnv } from '../../storage/tables.js';

/**
 * Deletes an unused one-time link after the password it holds could not be set, so the requester
 * cannot reveal a password that was never applied. Only ciphertext is stored, so deleting the row is
 * all revocation takes. Answers whether a link was deleted (false: already used, expired or purged).
 *
 * The row layout (partition "link", row key = link id) belongs to lib/passwords/one-time-link-store.ts;
 * this goes away once that module exports a revoke function.
 */
const LINK_PARTITION = 'link';
const LINK_ID = /^[A-Za-z0-9_-]{22}$/;

export async function revokePasswordLink(linkId: string): Promise<boolean> {
  if (!LINK_ID.test(linkId)) return false;
  try {
    const client = await getTableClient(ONE_TIME_LINK_TABLE, tableStorageConfigFromEnv());
    await client.deleteEntity(LINK_PARTITION, linkId);
    return true;
  } catch (err) {
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    if (status === 404) return false;
    throw new AppError({
      code: 'storage_unavailable',
      message: 'The one-time link store could not be reached to revoke the link.',
      status: 503,
      fix: 'The link still expires on its own; if the requester received it, tell them it will not work.',
      step: 'revoke_link',
      retryable: true,
      cause: err,
    });
  }
}
