import type { ExpressionContext } from '../expressions/context.js';
import type { Frame, ActionResultView } from './frame.js';
import type { RunState } from './run-state.js';

function notFound(what: string): Error {
  return Object.assign(new Error(what), { code: 'InvalidTemplate' });
}

/** workflow() as Standard shows it: workflow name and id plus the current run. */
export function workflowObject(run: RunState): Record<string, unknown> {
  const wf = run.workflowName;
  return {
    id: `/workflows/${wf}`,
    name: wf,
    type: 'Microsoft.Logic/workflows',
    location: run.shared.project.appSettings.WORKFLOWS_LOCATION_NAME ?? 'local',
    run: { id: `/workflows/${wf}/runs/${run.record.name}`, name: run.record.name, type: 'Microsoft.Logic/workflows/runs' },
  };
}

/**
 * The expression evaluator's view of a run at one point: the frame decides which action results
 * and loop items are visible; `current` backs action() inside trackedProperties.
 */
export function expressionContext(run: RunState, frame: Frame, current?: ActionResultView): ExpressionContext {
  const project = run.shared.project;
  const ctx: ExpressionContext = {
    parameters(name: string): unknown {
      if (!(name in project.parameters)) throw notFound(`The workflow parameter '${name}' is not found.`);
      return project.parameters[name];
    },
    appsetting(name: string): unknown {
      const v = project.appSettings[name];
      if (v === undefined) throw notFound(`The app setting '${name}' is not found.`);
      return v;
    },
    trigger: () => run.triggerObject,
    actions(name: string): unknown {
      const r = frame.lookup(name);
      if (!r) throw notFound(`The action '${name}' is not found or has not run yet in workflow '${run.workflowName}'.`);
      return r;
    },
    result(scope: string): unknown[] {
      const action = run.compiled.all.get(scope);
      if (!action || (!action.children && !action.cases)) {
        throw notFound(`The 'result' function requires the name of a Scope, Foreach or Until action; '${scope}' is not one.`);
      }
      return resultsOf(run, frame, scope);
    },
    variables(name: string): unknown {
      const v = run.variables.get(name.toLowerCase());
      if (!v) throw notFound(`The variable '${name}' is not initialized.`);
      return v.value;
    },
    item(): unknown {
      const loop = frame.findLoop();
      if (!loop) throw notFound(`The 'item' function can only be used inside a Foreach, Query or Select.`);
      return loop.item;
    },
    items(loop: string): unknown {
      const l = frame.findLoop(loop);
      if (!l) throw notFound(`The 'items' function refers to '${loop}', which is not an enclosing Foreach.`);
      return l.item;
    },
    iterationIndexes(loop: string): number {
      const l = frame.findLoop(loop);
      if (!l) throw notFound(`The 'iterationIndexes' function refers to '${loop}', which is not an enclosing Until loop.`);
      return l.index;
    },
    workflow: () => workflowObject(run),
    action(): unknown {
      if (!current) throw notFound(`The 'action' function can only be used in trackedProperties, Until expressions and webhooks.`);
      return current;
    },
    now: () => new Date(run.shared.services.clock.now()),
  };
  return ctx;
}

/** result(scope): first-level action results of the scope, of every repetition for loops. */
function resultsOf(run: RunState, frame: Frame, scope: string): ActionResultView[] {
  const collected = run.scopeResults.get(scope);
  if (collected) return collected;
  const action = run.compiled.all.get(scope);
  const names = new Set<string>();
  if (action?.children) for (const n of action.children.actions.keys()) names.add(n);
  if (action?.elseChildren) for (const n of action.elseChildren.actions.keys()) names.add(n);
  for (const c of action?.cases ?? []) for (const n of c.graph.actions.keys()) names.add(n);
  if (action?.defaultGraph) for (const n of action.defaultGraph.actions.keys()) names.add(n);
  const out: ActionResultView[] = [];
  for (const n of names) {
    const r = frame.lookup(n);
    if (r) out.push(r);
  }
  return out;
}
