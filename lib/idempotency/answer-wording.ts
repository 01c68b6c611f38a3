import type { Step } from '../inline/outcome.js';
import { formatUtc } from './utc-time.js';

/**
 * Wording of the two answers that change nothing: a duplicate (this request was carried out before) and
 * in_progress (another run is carrying it out now). Pure, for the router's inline code (lib/inline/build-response.ts).
 * Written for the technician: what was done, when (with the zone), that nothing happened now, what to do next.
 */

const REDACTED = '[redacted]';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function outcomeWords(status: string): string {
  if (status === 'success') return 'completed';
  if (status === 'partial_success') return 'partly completed';
  if (status === 'failed') return 'failed';
  return status;
}

export interface DuplicateFacts {
  /** The run that carried the request out (ClaimResult duplicate `runId`). */
  runId: string;
  /** When it was recorded (ClaimResult duplicate `completedAt`, ISO 8601). */
  completedAt: string;
  /** The stored answer (ClaimResult duplicate `storedResponse`), secrets already redacted by the ledger. */
  storedResponse: unknown;
}

export interface DuplicateAnswer {
  message: string;
  /** The first delivery's steps, each marked as done then, never as done now. */
  steps: Step[];
  /** The stored result without the members the ledger redacted (a one-time link is never handed out twice). */
  result: Record<string, unknown>;
  original_status: string;
}

/** Sentences that tell the technician to pass on a secret link, which a duplicate no longer carries. */
const LINK_INSTRUCTION = /\b(one-time|password)\s+link\b|\blink\b.*\b(expires|requester)\b/i;

export function duplicateAnswer(facts: DuplicateFacts): DuplicateAnswer {
  const stored = isRecord(facts.storedResponse) ? facts.storedResponse : {};
  const originalStatus = typeof stored.status === 'string' ? stored.status : 'success';
  const when = formatUtc(facts.completedAt);
  const storedResult = isRecord(stored.result) ? stored.result : {};
  const withheld = Object.keys(storedResult).filter((k) => storedResult[k] === REDACTED);
  const result = Object.fromEntries(Object.entries(storedResult).filter(([k]) => !withheld.includes(k)));

  let earlier = typeof stored.message === 'string' ? stored.message.trim() : '';
  if (withheld.length > 0) {
    earlier = earlier
      .split(/(?<=[.!?])\s+/)
      .filter((s) => !LINK_INSTRUCTION.test(s))
      .join(' ');
  }
  const steps: Step[] = (Array.isArray(stored.steps) ? stored.steps : []).filter(isRecord).map((s) => {
    const name = typeof s.name === 'string' ? s.name : '';
    const was = typeof s.status === 'string' ? s.status : 'succeeded';
    const detail = typeof s.detail === 'string' ? s.detail : '';
    const prefix = `First delivery (run ${facts.runId}, ${when}), ${was.replace('_', ' ')}`;
    // A change made then is "already done" now; a failure or skip then stays what it was, clearly dated.
    const status: Step['status'] = was === 'succeeded' || was === 'already_done' ? 'already_done' : was === 'failed' ? 'failed' : 'skipped';
    return { name, status, detail: detail ? `${prefix}: ${detail}` : `${prefix}.` };
  });

  const parts = [`This request was already carried out on ${when} by run ${facts.runId} (${outcomeWords(originalStatus)}).`];
  if (earlier) parts.push(`What was done then: ${earlier}`);
  parts.push('Nothing was changed this time.');
  if (withheld.some((k) => /password|link/i.test(k))) {
    parts.push(
      'The one-time password link was given only in the first answer and cannot be shown again; if the requester no longer has it, send a new Password Reset on a new ticket.',
    );
  }
  return { message: parts.join(' '), steps, result, original_status: originalStatus };
}

export interface InProgressFacts {
  /** The run holding the request (ClaimResult in_progress `runId`). */
  runId: string;
  /** When it claimed the request (ISO 8601). */
  claimedAt?: string;
  /** When its lease ends (ISO 8601). */
  leaseUntil?: string;
  /** What the Logic Apps management API said about the run doing the work, when it could be asked (e.g. Running). */
  runStatus?: string;
  /** The run doing the work when the request was handed to a child (ClaimResult in_progress `activeRun`). */
  activeRun?: { workflow: string; runId: string };
}

export function inProgressMessage(facts: InProgressFacts): string {
  const by = facts.activeRun ? `run ${facts.activeRun.runId} (workflow ${facts.activeRun.workflow}, started by run ${facts.runId})` : `run ${facts.runId}`;
  const since = facts.claimedAt ? ` since ${formatUtc(facts.claimedAt)}` : '';
  const parts = [`This request is already being carried out by ${by}${since}. It was not started again and nothing was changed.`];
  if (facts.runStatus) parts.push(`The run history shows that run as ${facts.runStatus}; its answer comes from that run.`);
  else parts.push('Its answer comes from that run; look it up in the run history.');
  // Past its lease a resend takes over, unless the management API says the run is still going.
  if (facts.leaseUntil && !facts.runStatus) {
    parts.push(`If that run is stuck, cancel it in the run history and send the request again; after ${formatUtc(facts.leaseUntil)} a resend takes over in any case.`);
  } else {
    parts.push('If that run is stuck, cancel it in the run history and send the request again.');
  }
  return parts.join(' ');
}
