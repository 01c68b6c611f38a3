import type { LoadedWorkflow } from '../model.js';
import { compileValue, type CompiledValue } from './compiled-value.js';
import { parseDuration } from './durations.js';
import { analyzeValue } from '../expressions/analyze.js';

/** One action of a workflow, prepared once and shared by every run. */
export interface CompiledAction {
  name: string;
  type: string;
  def: Record<string, unknown>;
  /** Enclosing container action, undefined at top level. */
  parent?: string;
  /** Predecessors with accepted statuses, lower-cased ("succeeded", "failed", "skipped", "timedout"). */
  runAfter: Array<{ name: string; statuses: string[] }>;
  successors: string[];
  inputs: CompiledValue;
  secureInputs: boolean;
  secureOutputs: boolean;
  /**
   * Inputs (and for Compose, Parse JSON and Response also outputs) hidden in run history because they
   * use the outputs of a trigger or action with secured data, without turning on Secure Inputs (see
   * hiddenBySecuredSources).
   */
  hideInputs: boolean;
  hideOutputs: boolean;
  timeoutMs?: number;
  operationOptions: Set<string>;
  /** Scope, Foreach, Until, If (true branch). */
  children?: CompiledGraph;
  /** If (false branch). */
  elseChildren?: CompiledGraph;
  /** Switch. */
  cases?: Array<{ name: string; value: unknown; graph: CompiledGraph }>;
  defaultGraph?: CompiledGraph;
  /** Other fields compiled on first use (expression, foreach, trackedProperties, ...). */
  fields: Map<string, CompiledValue>;
}

export interface CompiledGraph {
  /** Name of the container owning this graph; undefined for the workflow's top level. */
  owner?: string;
  actions: Map<string, CompiledAction>;
  /** Actions with no runAfter: they start first. */
  roots: string[];
}

export interface CompiledWorkflow {
  workflow: LoadedWorkflow;
  graph: CompiledGraph;
  /** Every action by name (names are unique across the whole workflow). */
  all: Map<string, CompiledAction>;
  /** Whether some Response action exists (the caller then waits for it). */
  hasResponse: boolean;
  /** Whether a Response action asks for the asynchronous pattern. */
  asyncResponse: boolean;
  triggerCorrelation?: CompiledValue;
  triggerConditions: CompiledValue[];
}

/** Value of one field of an action, compiled once and cached on the action. */
export function field(action: CompiledAction, key: string): CompiledValue {
  let c = action.fields.get(key);
  if (!c) {
    c = compileValue(action.def[key]);
    action.fields.set(key, c);
  }
  return c;
}

export function operationOptions(raw: unknown): Set<string> {
  if (typeof raw !== 'string') return new Set();
  return new Set(raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function compileGraph(actions: unknown, owner: string | undefined, all: Map<string, CompiledAction>): CompiledGraph {
  const graph: CompiledGraph = { owner, actions: new Map(), roots: [] };
  for (const [name, raw] of Object.entries(asRecord(actions))) {
    const def = asRecord(raw);
    const runAfter = Object.entries(asRecord(def.runAfter)).map(([pred, statuses]) => ({
      name: pred,
      statuses: (Array.isArray(statuses) && statuses.length > 0 ? statuses : ['Succeeded']).map((s) => String(s).toLowerCase()),
    }));
    const secure = asRecord(asRecord(def.runtimeConfiguration).secureData).properties;
    const secureList = Array.isArray(secure) ? secure.map((s) => String(s).toLowerCase()) : [];
    const limit = asRecord(def.limit);
    const type = String(def.type ?? '');
    const action: CompiledAction = {
      name,
      type,
      def,
      parent: owner,
      runAfter,
      successors: [],
      inputs: compileValue(def.inputs),
      secureInputs: secureList.includes('inputs'),
      secureOutputs: secureList.includes('outputs'),
      hideInputs: false,
      hideOutputs: false,
      timeoutMs: type.toLowerCase() === 'until' ? undefined : parseDuration(limit.timeout),
      operationOptions: operationOptions(def.operationOptions),
      fields: new Map(),
    };
    graph.actions.set(name, action);
    all.set(name, action);
    const lowerType = type.toLowerCase();
    if (['scope', 'foreach', 'until', 'if'].includes(lowerType)) action.children = compileGraph(def.actions, name, all);
    if (lowerType === 'if') action.elseChildren = compileGraph(asRecord(def.else).actions, name, all);
    if (lowerType === 'switch') {
      action.cases = Object.entries(asRecord(def.cases)).map(([caseName, c]) => ({
        name: caseName,
        value: asRecord(c).case,
        graph: compileGraph(asRecord(c).actions, name, all),
      }));
      action.defaultGraph = compileGraph(asRecord(def.default).actions, name, all);
    }
  }
  for (const action of graph.actions.values()) {
    if (action.runAfter.length === 0) graph.roots.push(action.name);
    for (const pred of action.runAfter) graph.actions.get(pred.name)?.successors.push(action.name);
  }
  return graph;
}

export function compileWorkflow(workflow: LoadedWorkflow): CompiledWorkflow {
  const all = new Map<string, CompiledAction>();
  const graph = compileGraph(workflow.definition.actions, undefined, all);
  let hasResponse = false;
  let asyncResponse = false;
  for (const a of all.values()) {
    if (a.type.toLowerCase() === 'response') {
      hasResponse = true;
      if (a.operationOptions.has('asynchronous')) asyncResponse = true;
    }
  }
  hideUsersOfSecuredData(workflow, all);
  const correlation = asRecord(workflow.trigger.correlation).clientTrackingId;
  const conditions = Array.isArray(workflow.trigger.conditions) ? workflow.trigger.conditions : [];
  return {
    workflow,
    graph,
    all,
    hasResponse,
    asyncResponse,
    triggerCorrelation: correlation === undefined ? undefined : compileValue(correlation),
    triggerConditions: conditions.map((c) => compileValue(asRecord(c).expression)),
  };
}

/** Actions that only have Secure Inputs, which then also hides their outputs. */
const INPUTS_ONLY_SECURABLE = new Set(['compose', 'parsejson', 'response']);

/**
 * "If a downstream action explicitly uses these secured outputs as inputs, Logic Apps hides this action's
 * inputs in the run history, but doesn't enable the action's Secure Inputs setting." The same holds for
 * the visible outputs of a trigger or action whose inputs are secured; Compose, Parse JSON and Response
 * then hide their outputs too, and what uses their hidden outputs is not hidden in turn.
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-securing-a-logic-app#considerations-for-securing-inputs-and-outputs)
 */
function hideUsersOfSecuredData(workflow: LoadedWorkflow, all: Map<string, CompiledAction>): void {
  const triggerSecure = asRecord(asRecord(asRecord(workflow.trigger.runtimeConfiguration).secureData)).properties;
  const triggerSecured = Array.isArray(triggerSecure) && triggerSecure.length > 0;
  const securedSources = new Set<string>();
  for (const a of all.values()) {
    if ((a.secureInputs || a.secureOutputs) && !INPUTS_ONLY_SECURABLE.has(a.type.toLowerCase())) securedSources.add(a.name.toLowerCase());
  }
  if (!triggerSecured && securedSources.size === 0) return;
  for (const a of all.values()) {
    let refs: { actionRefs: string[]; functions: string[] };
    try {
      refs = analyzeValue(a.def.inputs);
    } catch {
      continue; // invalid templates are refused at load
    }
    const usesSecured =
      refs.actionRefs.some((r) => securedSources.has(r.toLowerCase()) && r.toLowerCase() !== a.name.toLowerCase()) ||
      (triggerSecured && refs.functions.some((f) => f.toLowerCase().startsWith('trigger')));
    if (!usesSecured) continue;
    a.hideInputs = true;
    if (INPUTS_ONLY_SECURABLE.has(a.type.toLowerCase())) a.hideOutputs = true;
  }
}
