import type { ExpressionContext } from '../expressions/context.js';
import { EMPTY_CONTEXT } from '../expressions/context.js';
import { compileValue } from '../engine/compiled-value.js';
import { references } from './analyze.js';
import type { ProjectProblem } from './errors.js';
import { isRecord } from './read-json.js';

/**
 * Standard accepts these parameter types; securestring and secureobject are not supported
 * (https://learn.microsoft.com/azure/logic-apps/create-parameters-workflows#parameters-introduction).
 */
const PARAMETER_TYPES = new Set(['string', 'int', 'float', 'bool', 'array', 'object']);

function settingsContext(
  appSettings: Record<string, string>,
  parameters: Record<string, unknown> | undefined,
  missing: (kind: 'appsetting' | 'parameter', name: string) => void,
): ExpressionContext {
  return {
    ...EMPTY_CONTEXT,
    appsetting(name: string): unknown {
      const v = appSettings[name];
      if (v === undefined) {
        missing('appsetting', name);
        return '';
      }
      return v;
    },
    parameters(name: string): unknown {
      if (!parameters || !(name in parameters)) {
        missing('parameter', name);
        return null;
      }
      return parameters[name];
    },
  };
}

/** Checks that only the allowed functions appear (parameters.json: appsetting; connections.json: + parameters). */
function checkFunctions(value: unknown, allowed: ReadonlySet<string>, file: string, problems: ProjectProblem[]): boolean {
  let refs;
  try {
    refs = references(value);
  } catch (err) {
    problems.push({ file, message: `invalid expression: ${(err as Error).message}` });
    return false;
  }
  const bad = [...new Set(refs.functions.map((f) => f.toLowerCase()))].filter((f) => !allowed.has(f));
  if (bad.length > 0) {
    problems.push({ file, message: `only ${[...allowed].map((f) => `@${f}()`).join(' and ')} expressions are allowed here, found ${bad.map((f) => `${f}()`).join(', ')}` });
    return false;
  }
  return true;
}

function coerce(type: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (type === 'int' && /^-?\d+$/.test(value.trim())) return Number(value);
  if (type === 'float' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'bool' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  if ((type === 'object' || type === 'array') && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * parameters.json → name: value, with @appsetting() resolved; @appsetting is the only expression allowed
 * there (https://learn.microsoft.com/azure/logic-apps/create-parameters-workflows, Visual Studio Code tab).
 */
export function resolveParameters(raw: unknown, appSettings: Record<string, string>, problems: ProjectProblem[]): Record<string, unknown> {
  const file = 'parameters.json';
  const out: Record<string, unknown> = {};
  if (raw === undefined) return out;
  if (!isRecord(raw)) {
    problems.push({ file, message: 'expected an object of parameters' });
    return out;
  }
  for (const [name, def] of Object.entries(raw)) {
    if (!isRecord(def) || !('value' in def)) {
      problems.push({ file, message: `parameter '${name}' must be an object with 'type' and 'value'` });
      continue;
    }
    const type = String(def.type ?? '').toLowerCase();
    if (!PARAMETER_TYPES.has(type)) {
      problems.push({
        file,
        message: type.startsWith('secure')
          ? `parameter '${name}' has type '${String(def.type)}', which Logic Apps Standard does not support; use an app setting (Key Vault reference) instead`
          : `parameter '${name}' has unknown type '${String(def.type)}'`,
      });
      continue;
    }
    if (!checkFunctions(def.value, new Set(['appsetting']), file, problems)) continue;
    const ctx = settingsContext(appSettings, undefined, (_kind, setting) => {
      problems.push({ file, message: `parameter '${name}' references app setting '${setting}', which is not set` });
    });
    try {
      out[name] = coerce(type, compileValue(def.value)(ctx));
    } catch (err) {
      problems.push({ file, message: `parameter '${name}': ${(err as Error).message}` });
    }
  }
  return out;
}

/**
 * connections.json with @parameters() and @appsetting() resolved, including @{...} inside text; those two
 * are the only expressions allowed there
 * (https://learn.microsoft.com/azure/logic-apps/create-parameters-workflows#parameterize-connections-file).
 */
export function resolveConnections(
  raw: unknown,
  appSettings: Record<string, string>,
  parameters: Record<string, unknown>,
  problems: ProjectProblem[],
): Record<string, unknown> {
  const file = 'connections.json';
  if (raw === undefined) return {};
  if (!isRecord(raw)) {
    problems.push({ file, message: 'expected an object' });
    return {};
  }
  if (!checkFunctions(raw, new Set(['appsetting', 'parameters']), file, problems)) return {};
  const reported = new Set<string>();
  const ctx = settingsContext(appSettings, parameters, (kind, name) => {
    const key = `${kind}:${name}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({
      file,
      message: kind === 'appsetting' ? `references app setting '${name}', which is not set` : `references parameter '${name}', which is not defined in parameters.json`,
    });
  });
  try {
    return compileValue(raw)(ctx) as Record<string, unknown>;
  } catch (err) {
    problems.push({ file, message: (err as Error).message });
    return {};
  }
}
