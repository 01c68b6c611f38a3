import { listActions } from '../action-tree.js';
import { isRecord } from '../json.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/**
 * Run history is read by support engineers: action names are Verb_Object (a capitalised word, then
 * words joined by underscores; letters and digits only) and each action says why it exists.
 */
const ACTION_NAME = /^[A-Z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;
const KNOWN_STATUSES = new Set(['succeeded', 'failed', 'skipped', 'timedout']);

export const actionNamingRule: WorkflowRule = {
  id: 'action-naming',
  title: 'action names are Verb_Object and every action has a description',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      if (!ACTION_NAME.test(entry.name)) add('name must be Verb_Object style: capitalised first word, words joined by "_", letters and digits only', entry.name);
      const description = entry.def.description;
      if (typeof description !== 'string' || description.trim() === '') add('needs a "description" saying what the action is for', entry.name);
    }
    return problems;
  },
};

/** "Succeeded" / "SUCCEEDED" / "succeeded" / anything else. */
function casingOf(status: string): string {
  if (status === status.toUpperCase()) return 'UPPER';
  if (status === status.toLowerCase()) return 'lower';
  if (/^[A-Z][a-z]*(?:[A-Z][a-z]*)*$/.test(status)) return 'Pascal';
  return 'mixed';
}

export const runAfterCasingRule: WorkflowRule = {
  id: 'run-after-casing',
  title: 'one runAfter status casing throughout the workflow',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    const seen = new Map<string, { action: string; status: string }>();
    for (const entry of listActions(definitionOf(wf))) {
      const runAfter = entry.def.runAfter;
      if (runAfter === undefined) continue;
      if (!isRecord(runAfter)) {
        add('runAfter must be an object of action name -> statuses', entry.name);
        continue;
      }
      for (const [after, statuses] of Object.entries(runAfter)) {
        for (const status of Array.isArray(statuses) ? statuses : [statuses]) {
          if (typeof status !== 'string' || !KNOWN_STATUSES.has(status.toLowerCase())) {
            add(`runAfter '${after}': unknown status ${JSON.stringify(status)}`, entry.name);
            continue;
          }
          const casing = casingOf(status);
          if (!seen.has(casing)) seen.set(casing, { action: entry.name, status });
        }
      }
    }
    if (seen.size > 1) {
      add(`runAfter statuses mix casings: ${[...seen.entries()].map(([c, s]) => `${c} ("${s.status}" in ${s.action})`).join(', ')}`);
    }
    return problems;
  },
};
