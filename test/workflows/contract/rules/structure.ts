import { listActions } from '../action-tree.js';
import { isRecord, stringAt } from '../json.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/**
 * Shape rules of the Logic Apps Standard designer and runtime: one trigger per workflow; variables are declared only
 * at the top level, not inside scopes, conditions or loops
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-create-variables-store-values#initialize-variable);
 * a Response answers its caller once, so never from a loop; a Foreach states its concurrency, whose default is 20
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#concurrency-looping-and-debatching-limits).
 */
const LOOP_TYPES = new Set(['foreach', 'until']);

export const singleTriggerRule: WorkflowRule = {
  id: 'single-trigger',
  title: 'exactly one trigger',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    if (wf.parseError) add(`not valid JSON: ${wf.parseError}`);
    const triggers = definitionOf(wf).triggers;
    const count = isRecord(triggers) ? Object.keys(triggers).length : 0;
    if (count !== 1) add(`a Standard workflow has exactly one trigger, found ${count}`);
    return problems;
  },
};

export const initializeVariableRule: WorkflowRule = {
  id: 'initialize-variable-top-level',
  title: 'InitializeVariable only at the top level',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      const parent = entry.ancestors[entry.ancestors.length - 1];
      if (entry.type.toLowerCase() === 'initializevariable' && parent) {
        add(`InitializeVariable must be a top-level action, found inside ${parent.type} '${parent.name}'`, entry.name);
      }
    }
    return problems;
  },
};

export const responsePlacementRule: WorkflowRule = {
  id: 'response-not-in-loop',
  title: 'no Response inside Foreach/Until',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      const loop = entry.ancestors.find((a) => LOOP_TYPES.has(a.type.toLowerCase()));
      if (entry.type.toLowerCase() === 'response' && loop) add(`Response inside ${loop.type} '${loop.name}': a run answers its caller once`, entry.name);
    }
    return problems;
  },
};

export const foreachConcurrencyRule: WorkflowRule = {
  id: 'foreach-concurrency',
  title: 'Foreach sets runtimeConfiguration.concurrency or operationOptions Sequential, not both',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      if (entry.type.toLowerCase() !== 'foreach') continue;
      const concurrency = isRecord(entry.def.runtimeConfiguration) && entry.def.runtimeConfiguration.concurrency !== undefined;
      const sequential = (stringAt(entry.def, 'operationOptions') ?? '').split(',').some((o) => o.trim().toLowerCase() === 'sequential');
      if (concurrency && sequential) add('sets both runtimeConfiguration.concurrency and operationOptions "Sequential"; keep one', entry.name);
      if (!concurrency && !sequential) add('sets neither runtimeConfiguration.concurrency nor operationOptions "Sequential": the parallelism is implicit (20)', entry.name);
    }
    return problems;
  },
};
