import { app, type HttpFunctionOptions } from '@azure/functions';
import { z } from 'zod';
import { DispatchRefused, getDispatchStore } from '../dispatch/index.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * Who may run a child workflow: only a call the router dispatched (docs/workflow-design.md, "Who may call
 * a child workflow").
 *
 * POST /api/router/dispatch {intent, requestKey?, routerRunId, dryRun} → 200 {dispatchId}
 * POST /api/router/accept-dispatch {dispatchId, intent, childRunId} → 200 {status: "accepted", ...}
 *   or 403 {status: "failed", error: {code: "not_called_by_router", fix}} for a missing, unknown, expired,
 *   other-intent or already-used id.
 */
const issueSchema = z.object({
  intent: z.string().min(1).max(100),
  requestKey: z.string().max(1000).nullish(),
  routerRunId: z.string().min(1).max(200),
  dryRun: z.boolean().nullish(),
});

const acceptSchema = z.object({
  dispatchId: z.string().max(200).nullish(),
  intent: z.string().min(1).max(100),
  childRunId: z.string().min(1).max(200),
});

export const routerDispatch: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'router/dispatch',
  authLevel: 'anonymous',
  handler: helper({ step: 'issue_dispatch' }, async (request) => {
    const body = await readBody(request, issueSchema, 'issue_dispatch');
    const record = await getDispatchStore().issue({
      intent: body.intent,
      routerRunId: body.routerRunId,
      requestKey: body.requestKey ?? undefined,
      dryRun: body.dryRun === true,
    });
    return json(200, { dispatchId: record.dispatchId, expiresAt: record.expiresAt });
  }),
};

export const routerAcceptDispatch: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'router/accept-dispatch',
  authLevel: 'anonymous',
  handler: helper({ step: 'accept_router_dispatch' }, async (request) => {
    const body = await readBody(request, acceptSchema, 'accept_router_dispatch');
    try {
      const record = await getDispatchStore().accept({ dispatchId: body.dispatchId ?? undefined, intent: body.intent, childRunId: body.childRunId });
      return json(200, { status: 'accepted', intent: record.intent, routerRunId: record.routerRunId, dryRun: record.dryRun });
    } catch (err) {
      if (err instanceof DispatchRefused) return json(403, err.toBody());
      throw err;
    }
  }),
};

app.http('routerDispatch', routerDispatch);
app.http('routerAcceptDispatch', routerAcceptDispatch);
