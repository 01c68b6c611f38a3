import { listActions, type ActionEntry } from '../action-tree.js';
import { carriedPropertyNames } from '../expressions.js';
import { isRecord } from '../json.js';
import { problemSink } from '../problem.js';
import { definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/**
 * An action whose inputs carry a password (a `password` / `passwordProfile` / `temporaryPassword`
 * key, or an expression handing such a property on) hides both inputs and outputs from run history:
 * the outputs of such a call routinely echo what was sent. Reading the property only to test or strip
 * it (Plan_password_reset) does not count.
 */
const PASSWORD_PROPERTY = /^(?:new|current|temporary|temp|initial)?password(?:profile)?$/i;

export function carriesPassword(entry: ActionEntry): boolean {
  return [...carriedPropertyNames(entry.def.inputs)].some((name) => PASSWORD_PROPERTY.test(name));
}

export function securedProperties(entry: ActionEntry): Set<string> {
  const rc = entry.def.runtimeConfiguration;
  const props = isRecord(rc) && isRecord(rc.secureData) && Array.isArray(rc.secureData.properties) ? rc.secureData.properties : [];
  return new Set(props.filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase()));
}

export const securePasswordsRule: WorkflowRule = {
  id: 'secure-password',
  title: 'actions whose inputs carry a password secure inputs and outputs',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      if (!carriesPassword(entry)) continue;
      const secured = securedProperties(entry);
      const missing = ['inputs', 'outputs'].filter((p) => !secured.has(p));
      if (missing.length > 0) add(`inputs carry a password but runtimeConfiguration.secureData.properties lacks ${missing.map((m) => `"${m}"`).join(' and ')}`, entry.name);
    }
    return problems;
  },
};
