/**
 * The read-only `workflowContext` a JavaScriptCode action receives
 * (https://learn.microsoft.com/azure/logic-apps/add-run-javascript):
 * `actions[<name>]` is what `@actions('<name>')` returns, `trigger` is `@trigger()`, `workflow` is `@workflow()`.
 * The intent summaries the helpers run get the same shape, rebuilt from their request body
 * (lib/intents/summary-input.ts). Everything is typed loosely on purpose: the code must survive
 * whatever shape a failed or skipped action leaves behind, so every reader below checks before it trusts.
 */
export interface ActionResultLike {
  name?: string;
  status?: string;
  code?: string;
  inputs?: unknown;
  outputs?: { statusCode?: number; headers?: Record<string, string>; body?: unknown } | undefined;
  error?: { code?: string; message?: string } | null;
}

export interface InlineContext {
  actions: Record<string, ActionResultLike | undefined>;
  trigger?: { outputs?: { headers?: Record<string, string>; body?: unknown } } | undefined;
  workflow?: { id?: string; name?: string; run?: { id?: string; name?: string } } | undefined;
}

/** The action's record when it ran (any terminal status), undefined when it never ran or was skipped. */
export function ranAction(context: InlineContext, name: string): ActionResultLike | undefined {
  const action = context.actions[name];
  if (!action || typeof action !== 'object') return undefined;
  const status = String(action.status ?? '').toLowerCase();
  if (status === '' || status === 'skipped') return undefined;
  return action;
}

export function succeeded(action: ActionResultLike | undefined): boolean {
  return String(action?.status ?? '').toLowerCase() === 'succeeded';
}

/** `outputs.body` of an action (Http, Workflow, JavaScriptCode all put their result there). */
export function bodyOf(action: ActionResultLike | undefined): unknown {
  return action?.outputs?.body;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function runName(context: InlineContext): string {
  return context.workflow?.run?.name ?? '';
}
