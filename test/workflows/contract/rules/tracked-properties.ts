import { listActions } from '../action-tree.js';
import { referencesIn } from '../expressions.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/**
 * trackedProperties are evaluated with the action's own record only: they may read action() (and
 * parameters), not other actions, the trigger, variables or loop items.
 */
const FORBIDDEN = new Set([
  'actions', 'outputs', 'body', 'actionoutputs', 'actionbody', 'result',
  'trigger', 'triggerbody', 'triggeroutputs', 'triggerformdatavalue', 'triggerformdatamultivalues', 'triggermultipartbody',
  'variables', 'items', 'iterationindexes',
]);

export const trackedPropertiesRule: WorkflowRule = {
  id: 'tracked-properties',
  title: 'trackedProperties read only action() and parameters',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      if (entry.def.trackedProperties === undefined) continue;
      try {
        const bad = [...referencesIn(entry.def.trackedProperties).functions].filter((f) => FORBIDDEN.has(f));
        if (bad.length > 0) add(`trackedProperties may read only action() and parameters(), found ${bad.map((f) => `${f}()`).join(', ')}`, entry.name);
      } catch (err) {
        add(`trackedProperties: invalid expression: ${err instanceof Error ? err.message : String(err)}`, entry.name);
      }
    }
    return problems;
  },
};
