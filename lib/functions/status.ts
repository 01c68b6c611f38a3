import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { app, type HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { loadSettings, requireSetting } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';
import { LEDGER_TABLE, isLedgerKey, storageConfigFromSettings, type LedgerKey } from '../idempotency/index.js';
import { fromChunks } from '../idempotency/response-chunks.js';
import { formatUtc } from '../idempotency/utc-time.js';
import { getSecret } from '../secrets/index.js';
import { getTableClient } from '../storage/tables.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * Status of a long-running (202 accepted) request. The router asks POST /api/status/link for a URL
 * signed with HMAC-SHA256 over "<ticketId>/<ledger row key>", so the URL itself is the capability:
 * GET /api/status/{ticketId}/{key}?sig=... needs no identity (Thread polls it) and reveals one
 * ledger entry only. Answers 202 + Retry-After while the run works, then the recorded response.
 */
export const STATUS_SIGNING_SECRET = 'status-url-signing-key';

/**
 * Outside Azure (no WEBSITE_INSTANCE_ID) with no key configured, one random key per process signs
 * the URLs: the local functions host is a single process, and URLs need not outlive it. In Azure
 * several instances must agree, so the secret is required there.
 */
let localKey: string | undefined;

async function signingKey(): Promise<string> {
  try {
    return await getSecret(STATUS_SIGNING_SECRET);
  } catch (err) {
    if (process.env.WEBSITE_INSTANCE_ID === undefined) return (localKey ??= randomBytes(32).toString('base64url'));
    throw new AppError({
      code: 'configuration',
      message: 'The status URL signing key is not configured.',
      status: 500,
      fix: 'Set the "status-url-signing-key" secret in Key Vault (or STATUS_URL_SIGNING_KEY locally) to 32+ random bytes.',
      step: 'sign_status_url',
      cause: err,
    });
  }
}

async function signature(ticketId: string, rowKey: string): Promise<string> {
  return createHmac('sha256', await signingKey()).update(`${ticketId}/${rowKey}`).digest('base64url');
}

export async function signStatusUrl(baseUrl: string, key: LedgerKey): Promise<string> {
  const sig = await signature(key.partitionKey, key.rowKey);
  return `${baseUrl.replace(/\/+$/, '')}/api/status/${encodeURIComponent(key.partitionKey)}/${encodeURIComponent(key.rowKey)}?sig=${sig}`;
}

export async function verifyStatusSignature(key: LedgerKey, sig: string): Promise<boolean> {
  const expected = Buffer.from(await signature(key.partitionKey, key.rowKey));
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const linkBody = z.object({ ticketId: z.number().int().nonnegative(), key: z.custom<LedgerKey>(isLedgerKey, 'must be the key /api/idempotency/claim returned') });

export const statusLink = {
  methods: ['POST' as const],
  route: 'status/link',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'sign_status_url' }, async (request) => {
    const body = await readBody(request, linkBody, 'sign_status_url');
    if (body.key.partitionKey !== String(body.ticketId)) {
      throw new AppError({ code: 'validation_failed', message: 'The key does not belong to this ticket.', status: 400, fix: 'Send the key /api/idempotency/claim returned for this ticket.', step: 'sign_status_url' });
    }
    const base = requireSetting(loadSettings(), 'PUBLIC_BASE_URL', 'status URLs');
    return json(200, { status_url: await signStatusUrl(base, body.key) });
  }),
};

const NOT_FOUND = {
  status: 'unknown',
  message:
    'No request is recorded under this status URL: the link is wrong, or the record has expired. ' +
    'Look the ticket up in the run history before sending the request again, so nothing is done twice.',
};

/** Poll interval the 202 answer asks for (Retry-After, seconds). */
const RETRY_AFTER_SECONDS = 10;

/**
 * What a 202 says while the request is still being carried out: which run holds it and since when (with
 * the zone), that nothing needs doing yet, and when to look again. Exported for its unit test.
 */
export function pendingMessage(row: Record<string, unknown>): string {
  const run = typeof row.handoffRunId === 'string' && row.handoffRunId ? row.handoffRunId : String(row.runId ?? '');
  const workflow = typeof row.handoffWorkflow === 'string' && row.handoffWorkflow ? row.handoffWorkflow : typeof row.workflow === 'string' ? row.workflow : '';
  const claimed = row.claimedAt instanceof Date || typeof row.claimedAt === 'string' ? ` since ${formatUtc(row.claimedAt)}` : '';
  const by = run ? ` by run ${run}${workflow ? ` (workflow ${workflow})` : ''}` : '';
  return `This request is still being carried out${by}${claimed}. Nothing needs doing yet: poll this URL again in ${RETRY_AFTER_SECONDS} seconds; the final answer appears here when the run ends.`;
}

async function readStatus(request: HttpRequest) {
  const key = { partitionKey: request.params.ticketId ?? '', rowKey: request.params.key ?? '' };
  const sig = request.query.get('sig') ?? '';
  // A wrong or missing signature looks exactly like an unknown entry: the URL is the only credential.
  if (!isLedgerKey(key) || !(await verifyStatusSignature(key, sig))) return json(404, NOT_FOUND);
  const client = await getTableClient(LEDGER_TABLE, storageConfigFromSettings(loadSettings()));
  let row: Record<string, unknown>;
  try {
    row = await client.getEntity<Record<string, unknown>>(key.partitionKey, key.rowKey);
  } catch (err) {
    if ((err as { statusCode?: unknown }).statusCode === 404) return json(404, NOT_FOUND);
    throw new AppError({ code: 'storage_unavailable', message: 'The request ledger could not be read.', status: 503, fix: 'Poll again in a minute.', step: 'read_status', retryable: true, cause: err });
  }
  const stored = fromChunks(row.status === 'failed' ? 'error' : 'response', row);
  if (row.status === 'processing' || stored === undefined) {
    const response = json(202, { status: 'in_progress', ticket_id: Number(key.partitionKey), run_id: String(row.runId ?? ''), message: pendingMessage(row) });
    response.headers = { ...(response.headers as Record<string, string>), 'Retry-After': String(RETRY_AFTER_SECONDS) };
    return response;
  }
  return json(200, JSON.parse(stored) as unknown);
}

export const statusRead = {
  methods: ['GET' as const],
  route: 'status/{ticketId}/{key}',
  authLevel: 'anonymous' as const,
  handler: helper({ step: 'read_status', anonymous: true }, (request) => readStatus(request)),
};

app.http('statusLink', statusLink);
app.http('statusRead', statusRead);
