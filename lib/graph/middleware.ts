import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { setRequestHeader } from './headers.js';
import { nextDelay, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from './retry-policy.js';

/**
 * Our own middleware chain for the Graph SDK (Client.initWithMiddleware): retry → auth → fetch.
 * We do not use the SDK's RetryHandler because it retries only on its own schedule and cannot
 * share a total-wait budget or an injectable clock; nor its HTTPMessageHandler, because tests and
 * the local host inject fetch.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Sequence of attempts of one request, kept on errors for diagnosis. */
export interface AttemptLog {
  attempts: number;
  waitedMs: number;
}

/** Per-request attempt logs, keyed by the client-request-id the caller set. */
export const attemptLogs = new Map<string, AttemptLog>();

abstract class ChainLink implements Middleware {
  protected next: Middleware | undefined;
  setNext(next: Middleware): void {
    this.next = next;
  }
  protected async forward(context: Context): Promise<void> {
    if (!this.next) throw new Error('Graph middleware chain ends without a fetch handler.');
    await this.next.execute(context);
  }
  abstract execute(context: Context): Promise<void>;
}

/** Repeats 429/503/504 answers, honouring Retry-After, within the policy's attempt and wait caps. */
export class RetryMiddleware extends ChainLink {
  constructor(private readonly policy: RetryPolicy, private readonly requestIdOf: (c: Context) => string | undefined) {
    super();
  }

  async execute(context: Context): Promise<void> {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      await this.forward(context);
      const response = context.response;
      const id = this.requestIdOf(context);
      if (id) attemptLogs.set(id, { attempts: attempt, waitedMs: waited });
      if (!response || !RETRYABLE_STATUSES.has(response.status)) return;
      const delay = nextDelay(this.policy, attempt, parseRetryAfter(response.headers.get('retry-after')), waited);
      if (delay === undefined) return;
      // Drain the throttled body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
      await this.policy.sleep(delay);
      waited += delay;
    }
  }
}

/** Adds the bearer token; asks the provider each attempt so a token expiring mid-retry is renewed. */
export class AuthMiddleware extends ChainLink {
  constructor(private readonly token: () => Promise<string>) {
    super();
  }

  async execute(context: Context): Promise<void> {
    context.options ??= {};
    setRequestHeader(context.options, 'Authorization', `Bearer ${await this.token()}`);
    await this.forward(context);
  }
}

/** Terminal link: performs the HTTP call with the injected fetch. */
export class FetchMiddleware implements Middleware {
  constructor(private readonly fetchImpl: FetchLike) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    context.response = await this.fetchImpl(url, (context.options ?? {}) as RequestInit);
  }
}
