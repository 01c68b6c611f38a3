/**
 * Which `operationOptions` values and `runtimeConfiguration` settings the local runtime honours.
 * Anything else is refused at load, naming it: a setting silently ignored would make a local run
 * behave differently from Azure without anyone noticing.
 */
const ACTION_OPERATION_OPTIONS = new Set(['sequential', 'disableasyncpattern', 'suppressworkflowheaders', 'asynchronous']);
const TRIGGER_OPERATION_OPTIONS = new Set(['enableschemavalidation', 'suppressworkflowheadersonresponse']);
const ACTION_RUNTIME_SETTINGS = new Set(['securedata', 'concurrency']);
const TRIGGER_RUNTIME_SETTINGS = new Set(['securedata']);

export function unsupportedSettings(def: Record<string, unknown>, kind: 'action' | 'trigger'): string[] {
  const problems: string[] = [];
  const options = kind === 'action' ? ACTION_OPERATION_OPTIONS : TRIGGER_OPERATION_OPTIONS;
  const raw = def.operationOptions;
  if (raw !== undefined) {
    const values = typeof raw === 'string' ? raw.split(',').map((o) => o.trim()).filter((o) => o !== '') : [];
    if (typeof raw !== 'string') problems.push('"operationOptions" must be a string');
    for (const value of values) {
      if (!options.has(value.toLowerCase())) problems.push(`operationOptions '${value}' is not supported by the local runtime on ${kind === 'action' ? 'an action' : 'a trigger'}`);
    }
  }
  const config = def.runtimeConfiguration;
  if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
    problems.push('"runtimeConfiguration" must be an object');
  } else if (config) {
    const allowed = kind === 'action' ? ACTION_RUNTIME_SETTINGS : TRIGGER_RUNTIME_SETTINGS;
    for (const key of Object.keys(config)) {
      if (!allowed.has(key.toLowerCase())) problems.push(`runtimeConfiguration.${key} is not supported by the local runtime`);
    }
  }
  return problems;
}
