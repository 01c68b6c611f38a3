import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { AppError } from '../errors/app-error.js';
import { registerSecretValue } from '../telemetry/secret-values.js';
import { newLinkKey, open, parseLinkKey, seal } from './link-cipher.js';

/**
 * One-time links that deliver a password to a person instead of putting it in a ticket, mail or log, so
 * the user can actually sign in and nobody else learns it. Table Storage holds only ciphertext; the key exists only in the URL fragment. Revealing
 * deletes the row with an ETag-guarded delete, so of two simultaneous clicks exactly one gets the secret.
 */
export type LinkTable = Pick<TableClient, 'createEntity' | 'getEntity' | 'deleteEntity' | 'listEntities'>;

export const ONE_TIME_LINK_TABLE = 'onetimelinks';
const PARTITION = 'link';

export interface OneTimeLink {
  url: string;
  id: string;
  expiresAt: string;
}

export type LinkState = 'active' | 'expired' | 'used';

interface StoredLink {
  ciphertext: string;
  iv: string;
  tag: string;
  createdAt: string;
  expiresAt: string;
  purpose?: string;
}

export interface OneTimeLinkStoreOptions {
  table: () => Promise<LinkTable>;
  /** e.g. https://helpers.contoso.net (no trailing slash). */
  publicBaseUrl: () => string;
  ttlHours: number;
  now?: () => Date;
}

export interface CreateLinkOptions {
  ttlHours?: number;
  /** What the secret is for, e.g. "password-reset"; stored in clear, so never the user name or secret. */
  purpose?: string;
  /**
   * msp mode: the customer the link was made for (registry id), recorded on the row so a link can be traced to its
   * customer and a customer's links found (docs/msp-mode.md). The link id itself stays the unguessable capability.
   */
  customerId?: string;
}

const LINK_ID = /^[A-Za-z0-9_-]{22}$/;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

export function linkExpiredError(): AppError {
  return new AppError({
    code: 'link_expired',
    message: 'This link has expired, so the password can no longer be shown.',
    status: 410,
    fix: 'Ask your IT support to reset the password again; they will send you a new link.',
    step: 'reveal_link',
  });
}

export function linkUsedError(): AppError {
  return new AppError({
    code: 'link_used',
    message: 'This link has already been used (each link works once) or does not exist.',
    status: 410,
    fix: 'If you did not open it yourself, tell your IT support straight away and ask for a new password.',
    step: 'reveal_link',
  });
}

function damagedLinkError(): AppError {
  return new AppError({
    code: 'refused',
    message: 'This link is incomplete or damaged.',
    status: 400,
    fix: 'Open the link exactly as you received it, including everything after the # sign.',
    step: 'reveal_link',
  });
}

function storageError(err: unknown, step: string): AppError {
  return new AppError({
    code: 'storage_unavailable',
    message: 'The password link store could not be reached.',
    status: 503,
    fix: 'Try again in a minute. If it keeps failing, check the Function App can reach its storage account (Storage Table Data Contributor).',
    step,
    retryable: true,
    cause: err,
  });
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function createOneTimeLinkStore(options: OneTimeLinkStoreOptions) {
  const now = options.now ?? (() => new Date());
  let lastPurge = 0;

  async function table(step: string): Promise<LinkTable> {
    try {
      return await options.table();
    } catch (err) {
      throw err instanceof AppError ? err : storageError(err, step);
    }
  }

  /** Reads the row; undefined when it does not exist (never created, revealed, or purged). */
  async function read(id: string, step: string): Promise<(StoredLink & { etag: string }) | undefined> {
    if (!LINK_ID.test(id)) return undefined;
    const client = await table(step);
    try {
      const entity = await client.getEntity<StoredLink>(PARTITION, id);
      return entity as unknown as StoredLink & { etag: string };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw storageError(err, step);
    }
  }

  async function remove(id: string, etag: string | undefined, step: string): Promise<boolean> {
    const client = await table(step);
    try {
      await client.deleteEntity(PARTITION, id, etag ? { etag } : undefined);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 || status === 412) return false;
      throw storageError(err, step);
    }
  }

  const isExpired = (link: StoredLink) => Date.parse(link.expiresAt) <= now().getTime();

  async function purgeExpired(): Promise<number> {
    const client = await table('purge_links');
    const cutoff = now().toISOString();
    let removed = 0;
    const rows = client.listEntities<{ expiresAt: string }>({
      queryOptions: { filter: `PartitionKey eq '${PARTITION}' and expiresAt le '${cutoff}'` },
    });
    for await (const row of rows) {
      if (row.rowKey && (await remove(row.rowKey, row.etag, 'purge_links'))) removed++;
    }
    return removed;
  }

  return {
    async create(secret: string, createOptions: CreateLinkOptions = {}): Promise<OneTimeLink> {
      if (secret.length === 0) throw new Error('createOneTimeLink: the secret is empty');
      const ttlHours = createOptions.ttlHours ?? options.ttlHours;
      // Resolved first: a missing PUBLIC_BASE_URL must fail before a row is written, not after.
      const baseUrl = options.publicBaseUrl();
      const id = randomBytes(16).toString('base64url');
      const key = newLinkKey();
      const keyText = key.toString('base64url');
      registerSecretValue(secret);
      registerSecretValue(keyText);
      const created = now();
      const expiresAt = new Date(created.getTime() + ttlHours * 3600_000).toISOString();
      const client = await table('create_link');
      try {
        await client.createEntity({
          partitionKey: PARTITION,
          rowKey: id,
          ...seal(secret, key, id),
          createdAt: created.toISOString(),
          expiresAt,
          ...(createOptions.purpose ? { purpose: createOptions.purpose } : {}),
          ...(createOptions.customerId ? { customer: createOptions.customerId } : {}),
        });
      } catch (err) {
        throw storageError(err, 'create_link');
      }
      if (created.getTime() - lastPurge > PURGE_INTERVAL_MS) {
        lastPurge = created.getTime();
        // Housekeeping only: links that were never opened would otherwise stay in the table forever.
        // A failure here must not fail the password reset that created the link.
        void purgeExpired().catch(() => undefined);
      }
      return { url: `${baseUrl}/api/secret/${id}#k=${keyText}`, id, expiresAt };
    },

    /** What the landing page should say, without revealing or consuming anything. */
    async inspect(id: string): Promise<LinkState> {
      const link = await read(id, 'inspect_link');
      if (!link) return 'used';
      return isExpired(link) ? 'expired' : 'active';
    },

    /** Decrypts and deletes; throws link_expired / link_used / refused (wrong key) AppErrors. */
    async reveal(id: string, keyText: string): Promise<string> {
      const link = await read(id, 'reveal_link');
      if (!link) throw linkUsedError();
      if (isExpired(link)) {
        await remove(id, link.etag, 'reveal_link');
        throw linkExpiredError();
      }
      const key = parseLinkKey(keyText);
      // A wrong key does not burn the link: someone holding only the id must not be able to destroy it.
      const secret = key ? open(link, key, id) : undefined;
      if (secret === undefined) throw damagedLinkError();
      // Only the click whose ETag-guarded delete wins may show the secret.
      if (!(await remove(id, link.etag, 'reveal_link'))) throw linkUsedError();
      registerSecretValue(secret);
      return secret;
    },

    /**
     * Deletes an unrevealed link (e.g. the password it holds could not be set). True when a link was
     * deleted; false when it was already used, purged or never existed.
     */
    async revoke(id: string): Promise<boolean> {
      if (!LINK_ID.test(id)) return false;
      return remove(id, undefined, 'revoke_link');
    },

    purgeExpired,
  };
}

export type OneTimeLinkStore = ReturnType<typeof createOneTimeLinkStore>;
