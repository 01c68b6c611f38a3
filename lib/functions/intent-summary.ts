import { app } from '@azure/functions';
import { AppError } from '../errors/app-error.js';
import { summaryInputSchema, toInlineContext } from '../intents/summary-input.js';
import { INTENT_SUMMARIES, summarise, summaryFor } from '../intents/summary-registry.js';
import { helper } from './helper.js';
import { readBody } from './read-body.js';
import { json } from './respond.js';

/**
 * POST /api/intents/{intent}/summary: each child workflow's `Summarise_<intent>` step. Body: what its
 * actions did (lib/intents/summary-input.ts); answer: the intent outcome the workflow responds with
 * (`{status, message, steps, result, error?, async?}`, docs/workflow-design.md "Child workflow contract").
 * When the request carries `previous` (a resumed request), the answer combines the earlier attempts' changes
 * with this run's (lib/intents/summary-registry.ts `summarise`).
 * Pure: reads nothing else and changes nothing, so the workflow's retry policy may call it again.
 * Running it here rather than as inline code keeps its input and output readable in run history and
 * the Graph error table (lib/graph/error-table.ts) in one deployed place.
 */
const STEP = 'summarise';

export const intentSummary = {
  methods: ['POST' as const],
  route: 'intents/{intent}/summary',
  authLevel: 'anonymous' as const,
  handler: helper({ step: STEP }, async (request) => {
    const intent = request.params.intent ?? '';
    const summary = summaryFor(intent);
    if (!summary) {
      throw new AppError({
        code: 'not_found',
        message: `There is no outcome summary for intent "${intent}".`,
        status: 404,
        fix: `Call /api/intents/<intent>/summary with one of: ${Object.keys(INTENT_SUMMARIES).join(', ')}.`,
        step: STEP,
      });
    }
    const input = await readBody(request, summaryInputSchema, STEP);
    return json(200, summarise(summary, toInlineContext(input)));
  }),
};

app.http('intentSummary', intentSummary);
