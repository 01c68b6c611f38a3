import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { AppError, toAppError } from '../errors/app-error.js';
import { inspectOneTimeLink, revealOneTimeLink } from '../passwords/one-time-link.js';
import { ONE_TIME_LINK_HEADERS, renderRevealPage, type PageState } from '../passwords/reveal-page.js';
import { withSecretScope } from '../telemetry/secret-values.js';
import { trackStep } from '../telemetry/track.js';

/**
 * One-time password links. Anonymous on purpose: the person opening the link has no identity in the
 * helpers' tenant; the 256-bit key in the URL fragment is the credential. GET only renders the page,
 * POST .../reveal (with the key in the body) reveals and burns the link.
 */

const MAX_REVEAL_BODY_BYTES = 1024;

function json(status: number, body: unknown): HttpResponseInit {
  return { status, headers: { ...ONE_TIME_LINK_HEADERS, 'Content-Type': 'application/json; charset=utf-8' }, jsonBody: body };
}

export async function oneTimeLinkPageHandler(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  let state: PageState;
  let status: number;
  try {
    state = await inspectOneTimeLink(id);
    status = state === 'active' ? 200 : 410;
  } catch {
    state = 'unavailable';
    status = 503;
  }
  return { status, headers: { ...ONE_TIME_LINK_HEADERS, 'Content-Type': 'text/html; charset=utf-8' }, body: renderRevealPage(state) };
}

export async function oneTimeLinkRevealHandler(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return withSecretScope(async () => {
    const id = request.params.id ?? '';
    const text = await request.text();
    if (Buffer.byteLength(text, 'utf8') > MAX_REVEAL_BODY_BYTES) {
      return json(413, { error: { code: 'payload_too_large', message: 'The request is too large.', fix: 'Use the button on the link page.', retryable: false } });
    }
    let key: unknown;
    try {
      key = (JSON.parse(text) as { key?: unknown } | null)?.key;
    } catch {
      key = undefined;
    }
    if (typeof key !== 'string') {
      const err = new AppError({
        code: 'validation_failed',
        message: 'The link key is missing.',
        status: 400,
        fix: 'Open the link exactly as you received it and use the Reveal password button.',
        step: 'reveal_link',
      });
      return json(err.status, err.toBody());
    }
    try {
      // Audit trail: one step event per reveal attempt (link id only; the key and secret never leave).
      const secret = await trackStep({ run_id: `link:${id.slice(0, 64)}`, intent_id: 'one-time-link' }, 'reveal_link', () => revealOneTimeLink(id, key));
      return json(200, { secret });
    } catch (err) {
      const appError = toAppError(err, 'reveal_link');
      return json(appError.status, appError.toBody());
    }
  });
}

export const oneTimeLinkPage = {
  methods: ['GET' as const],
  route: 'secret/{id}',
  authLevel: 'anonymous' as const,
  handler: oneTimeLinkPageHandler,
};

export const oneTimeLinkReveal = {
  methods: ['POST' as const],
  route: 'secret/{id}/reveal',
  authLevel: 'anonymous' as const,
  handler: oneTimeLinkRevealHandler,
};

app.http('oneTimeLinkPage', oneTimeLinkPage);
app.http('oneTimeLinkReveal', oneTimeLinkReveal);
