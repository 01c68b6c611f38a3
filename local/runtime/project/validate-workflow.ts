import { isKnownFunction, isSupportedFunction } from '../expressions/index.js';
import type { ServiceProviderHandler } from '../model.js';
import { references } from './analyze.js';
import type { ProjectProblem } from './errors.js';
import { unsupportedSettings } from './settings-support.js';
import { ACTION_TYPES, FIRED_TRIGGER_TYPES, LOOP_TYPES, RUN_AFTER_STATUSES, TRIGGER_TYPES } from './known-types.js';
import { isRecord } from './read-json.js';

export interface ValidationContext {
  workflowNames: ReadonlySet<string>;
  connections: Record<string, unknown>;
  parameters: Record<string, unknown>;
  providers: ReadonlyMap<string, ServiceProviderHandler>;
}

interface ActionInfo {
  name: string;
  def: Record<string, unknown>;
  /** Sibling names: runAfter may only point inside this set. */
  scopeId: number;
  /** Container types from the top down. */
  ancestors: string[];
}

/** Keys whose values are nested action graphs (their expressions belong to the nested actions). */
const NESTED_KEYS = new Set(['actions', 'else', 'cases', 'default']);

/**
 * Everything wrong with one workflow.json: shape, trigger, action types, runAfter graph, names,
 * references to connections/workflows/parameters, expression functions and placement rules.
 */
export function validateWorkflow(file: string, doc: unknown, ctx: ValidationContext): ProjectProblem[] {
  const problems: ProjectProblem[] = [];
  const add = (message: string, action?: string): void => {
    problems.push(action === undefined ? { file, message } : { file, action, message });
  };
  if (!isRecord(doc)) {
    add('expected a JSON object with "definition" and "kind"');
    return problems;
  }
  const kind = doc.kind;
  if (kind !== 'Stateful' && kind !== 'Stateless') add(`"kind" must be "Stateful" or "Stateless", found ${JSON.stringify(kind)}`);
  const def = doc.definition;
  if (!isRecord(def)) {
    add('missing "definition" object');
    return problems;
  }
  const triggers = isRecord(def.triggers) ? Object.entries(def.triggers) : [];
  if (triggers.length !== 1) add(`a Standard workflow must have exactly one trigger, found ${triggers.length}`);
  for (const [name, t] of triggers) {
    const type = isRecord(t) ? String(t.type ?? '') : '';
    if (!TRIGGER_TYPES.has(type.toLowerCase())) add(`trigger '${name}': unknown trigger type '${type}'`);
    else if (!FIRED_TRIGGER_TYPES.has(type.toLowerCase())) {
      add(`trigger '${name}': '${type}' triggers are not supported by the local runtime (it fires Request triggers only); run this workflow in Azure, or start it from a Request trigger locally`);
    }
    if (isRecord(t)) for (const problem of unsupportedSettings(t, 'trigger')) add(`trigger '${name}': ${problem}`);
    checkExpressions(name, t, undefined, ctx, (message) => add(`trigger '${name}': ${message}`));
  }
  if (isRecord(def.parameters) && '$connections' in def.parameters) add('a Standard workflow must not declare the "$connections" parameter; use host.connection.referenceName');

  const all = new Map<string, ActionInfo>();
  const scopes: Array<Map<string, ActionInfo>> = [];
  const collect = (actions: unknown, ancestors: string[], where: string): void => {
    if (actions === undefined) return;
    if (!isRecord(actions)) {
      add(`"actions" of ${where} must be an object`);
      return;
    }
    const scopeId = scopes.length;
    const scope = new Map<string, ActionInfo>();
    scopes.push(scope);
    for (const [name, raw] of Object.entries(actions)) {
      if (!isRecord(raw)) {
        add('action definition must be an object', name);
        continue;
      }
      const info: ActionInfo = { name, def: raw, scopeId, ancestors };
      if (all.has(name)) add(`duplicate action name '${name}': action names must be unique across the whole workflow`, name);
      else all.set(name, info);
      scope.set(name, info);
      const type = String(raw.type ?? '').toLowerCase();
      const inner = [...ancestors, type];
      if (['scope', 'foreach', 'until', 'if'].includes(type)) collect(raw.actions, inner, `action '${name}'`);
      if (type === 'if' && isRecord(raw.else)) collect(raw.else.actions, inner, `action '${name}' else`);
      if (type === 'switch') {
        if (isRecord(raw.cases)) for (const [c, cv] of Object.entries(raw.cases)) collect(isRecord(cv) ? cv.actions : undefined, inner, `case '${c}'`);
        if (isRecord(raw.default)) collect(raw.default.actions, inner, `action '${name}' default`);
      }
    }
  };
  collect(def.actions, [], 'the definition');

  for (const info of all.values()) checkAction(info, all, scopes, ctx, add);
  for (const scope of scopes) checkCycles(scope, add);
  return problems;
}

function checkAction(
  info: ActionInfo,
  all: Map<string, ActionInfo>,
  scopes: Array<Map<string, ActionInfo>>,
  ctx: ValidationContext,
  add: (message: string, action?: string) => void,
): void {
  const { name, def } = info;
  const typeRaw = String(def.type ?? '');
  const type = typeRaw.toLowerCase();
  if (!ACTION_TYPES.has(type)) add(`unknown action type '${typeRaw}'`, name);
  for (const problem of unsupportedSettings(def, 'action')) add(problem, name);
  const runAfter = def.runAfter;
  // "runAfter": null means no dependencies, like {}. Undocumented: observed on the real host as
  // accepted, treated as no dependencies (the action starts first in its scope).
  if (runAfter !== undefined && runAfter !== null && !isRecord(runAfter)) add('"runAfter" must be an object', name);
  if (isRecord(runAfter)) {
    for (const [pred, statuses] of Object.entries(runAfter)) {
      if (!scopes[info.scopeId]?.has(pred)) {
        add(all.has(pred) ? `runAfter names action '${pred}', which is not in the same scope` : `runAfter names missing action '${pred}'`, name);
      }
      if (!Array.isArray(statuses)) add(`runAfter statuses for '${pred}' must be an array`, name);
      else for (const s of statuses) if (!RUN_AFTER_STATUSES.has(String(s).toLowerCase())) add(`invalid runAfter status '${String(s)}' for '${pred}' (allowed: Succeeded, Failed, Skipped, TimedOut)`, name);
    }
  }
  if (type === 'initializevariable' && info.ancestors.length > 0) add('InitializeVariable must be at the top level of the workflow, not inside a scope, condition or loop', name);
  if (type === 'terminate' && info.ancestors.some((a) => LOOP_TYPES.has(a))) add('Terminate cannot be inside a Foreach or Until loop', name);
  if (type === 'foreach' && isRecord(def.runtimeConfiguration) && isRecord(def.runtimeConfiguration.concurrency)
    && String(def.operationOptions ?? '').toLowerCase().split(',').map((o) => o.trim()).includes('sequential')) {
    add("Foreach cannot set both operationOptions 'Sequential' and runtimeConfiguration.concurrency", name);
  }
  const inputs = isRecord(def.inputs) ? def.inputs : {};
  if (type === 'workflow') {
    const host = isRecord(inputs.host) && isRecord(inputs.host.workflow) ? inputs.host.workflow : {};
    const id = host.id;
    if (typeof id !== 'string' || id === '') add('Workflow action needs inputs.host.workflow.id', name);
    else if (!id.includes('@') && !ctx.workflowNames.has(id.toLowerCase())) add(`Workflow action points to missing workflow '${id}'`, name);
  }
  if (type === 'apiconnection') {
    const ref = isRecord(inputs.host) && isRecord(inputs.host.connection) ? inputs.host.connection.referenceName : undefined;
    const managed = isRecord(ctx.connections.managedApiConnections) ? ctx.connections.managedApiConnections : {};
    if (typeof ref !== 'string' || ref === '') add('ApiConnection action needs inputs.host.connection.referenceName', name);
    else if (!(ref in managed)) add(`ApiConnection referenceName '${ref}' is not in connections.json managedApiConnections`, name);
  }
  if (type === 'serviceprovider') {
    const cfg = isRecord(inputs.serviceProviderConfiguration) ? inputs.serviceProviderConfiguration : {};
    const connectionName = cfg.connectionName;
    const spc = isRecord(ctx.connections.serviceProviderConnections) ? ctx.connections.serviceProviderConnections : {};
    if (typeof connectionName !== 'string' || !(connectionName in spc)) {
      add(`ServiceProvider connectionName '${String(connectionName)}' is not in connections.json serviceProviderConnections`, name);
    }
    const providerId = String(cfg.serviceProviderId ?? '');
    const operationId = String(cfg.operationId ?? '');
    const handler = ctx.providers.get(providerId.toLowerCase());
    if (!handler) add(`service provider '${providerId}' is not implemented by the local runtime`, name);
    else if (!handler.operations.includes(operationId)) add(`operation '${operationId}' of service provider '${providerId}' is not implemented by the local runtime`, name);
  }
  checkExpressions(name, def, all, ctx, add);
}

/** Expression checks on an action's own fields (nested actions are checked on their own). */
function checkExpressions(
  name: string,
  def: unknown,
  all: Map<string, ActionInfo> | undefined,
  ctx: ValidationContext,
  add: (message: string, action?: string) => void,
): void {
  if (!isRecord(def)) return;
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (!NESTED_KEYS.has(k) && k !== 'runAfter') own[k] = v;
  if (typeof def.type === 'string' && def.type.toLowerCase() === 'switch') delete own.cases;
  let refs;
  try {
    refs = references(own);
  } catch (err) {
    add(`invalid expression: ${(err as Error).message}`, name);
    return;
  }
  for (const fn of new Set(refs.functions)) {
    if (!isKnownFunction(fn)) add(`unknown expression function '${fn}'`, name);
    else if (!isSupportedFunction(fn)) add(`expression function '${fn}' is not supported by the local runtime`, name);
  }
  for (const p of new Set(refs.parameterRefs)) if (!(p in ctx.parameters)) add(`@parameters('${p}') is not defined in parameters.json`, name);
  if (all) for (const a of new Set(refs.actionRefs)) if (!all.has(a)) add(`expression refers to action '${a}', which does not exist`, name);
}

/** runAfter cycles among siblings. */
function checkCycles(scope: Map<string, ActionInfo>, add: (message: string, action?: string) => void): void {
  const state = new Map<string, 1 | 2>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) {
      const cycle = [...path.slice(path.indexOf(name)), name];
      add(`runAfter cycle: ${cycle.join(' -> ')}`, name);
      return;
    }
    state.set(name, 1);
    const ra = scope.get(name)?.def.runAfter;
    if (isRecord(ra)) for (const pred of Object.keys(ra)) if (scope.has(pred)) visit(pred, [...path, name]);
    state.set(name, 2);
  };
  for (const name of scope.keys()) visit(name, []);
}
