/**
 * What workflow functions (parameters(), actions(), item(), ...) read from. The engine builds
 * one per evaluation scope; values are plain JSON (the evaluator converts at the boundary).
 */
export interface ExpressionContext {
  /** Throws if the parameter is not defined. */
  parameters(name: string): unknown;
  appsetting(name: string): unknown;
  /** The trigger() object: name, inputs, outputs {headers, body, relativePathParameters, queries}, startTime, ... */
  trigger(): unknown;
  /** The action result object {name, inputs, outputs, status, code, startTime, endTime, error, ...}; throws if unknown / not run. */
  actions(name: string): unknown;
  /** First-level action results of a Scope/Foreach/Until. */
  result(scopeName: string): unknown[];
  variables(name: string): unknown;
  /** Current Foreach item (or Query/Select item). */
  item(): unknown;
  items(loopName: string): unknown;
  iterationIndexes(loopName: string): number;
  workflow(): unknown;
  /** Only in trackedProperties / Until. */
  action?(): unknown;
  listCallbackUrl?(): unknown;
  /** Clock for utcNow() and friends; tests pin it. */
  now?(): Date;
}

function refuse(what: string): never {
  throw new Error(
    `The template function '${what}' cannot be used here: this value is evaluated without a workflow run, so no ${what}() is available.`,
  );
}

/** A context for values evaluated outside a run (e.g. parameters.json): every workflow function fails clearly. */
export const EMPTY_CONTEXT: ExpressionContext = Object.freeze({
  parameters: () => refuse('parameters'),
  appsetting: () => refuse('appsetting'),
  trigger: () => refuse('trigger'),
  actions: () => refuse('actions'),
  result: () => refuse('result'),
  variables: () => refuse('variables'),
  item: () => refuse('item'),
  items: () => refuse('items'),
  iterationIndexes: () => refuse('iterationIndexes'),
  workflow: () => refuse('workflow'),
  action: () => refuse('action'),
  listCallbackUrl: () => refuse('listCallbackUrl'),
});
