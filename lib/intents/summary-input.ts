import { z } from 'zod';
import type { ActionResultLike, InlineContext } from '../inline/context.js';

/**
 * What a child workflow's `Summarise_<intent>` Http action POSTs to /api/intents/{intent}/summary, readable
 * in run history as it is (docs/workflow-design.md "Outcome summaries"):
 * - `request`: the normalised request the child was started with (its trigger body; password-reset
 *   leaves the supplied temporary password out);
 * - `routerRunId`: the router run holding the idempotency claim (trigger header x-thread-router-run-id),
 *   needed when the child answered `accepted` early and finishes the request itself;
 * - `run`: this workflow's name and run name, for the MSP mail's run link;
 * - `actions`: by action name, what each action the summary reads did: `@actions('<name>')`, or for an
 *   action with secured data only its status, error, status code and the part of its body the summary
 *   needs (never a password).
 * The summary functions were written against the JavaScriptCode `workflowContext`; `toInlineContext`
 * rebuilds that shape, so the same code gives the same answer in the helpers.
 */
const actionRecord = z.looseObject({
  name: z.string().nullish(),
  status: z.string().nullish(),
  code: z.string().nullish(),
});

export const summaryInputSchema = z.object({
  request: z.record(z.string(), z.unknown()),
  routerRunId: z.string().nullish(),
  run: z.object({ workflow: z.string().nullish(), name: z.string().nullish() }).default({}),
  actions: z.record(z.string(), actionRecord),
});

export type SummaryInput = z.output<typeof summaryInputSchema>;

/** The JavaScriptCode-shaped context the summary functions read. */
export function toInlineContext(input: SummaryInput): InlineContext {
  const actions: Record<string, ActionResultLike> = {};
  for (const [name, record] of Object.entries(input.actions)) {
    // Logic Apps gives null for what a skipped action never had; the readers expect it absent.
    const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null));
    actions[name] = { name, ...cleaned } as ActionResultLike;
  }
  return {
    actions,
    trigger: {
      outputs: {
        headers: input.routerRunId ? { 'x-thread-router-run-id': input.routerRunId } : {},
        body: input.request,
      },
    },
    workflow: { name: input.run.workflow ?? '', run: { name: input.run.name ?? '' } },
  };
}
