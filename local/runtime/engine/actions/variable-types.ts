import { ActionFailure } from '../errors.js';
import type { DeclaredVariable, RunState } from '../run-state.js';

/** Azure's name for the JSON type of a value, as variable errors spell it. */
export function azureTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number' || typeof value === 'bigint') return Number.isInteger(Number(value)) ? 'Integer' : 'Float';
  if (Array.isArray(value)) return 'Array';
  return 'Object';
}

const DECLARED: Record<string, string> = {
  string: 'String',
  integer: 'Integer',
  float: 'Float',
  boolean: 'Boolean',
  object: 'Object',
  array: 'Array',
};

export function declaredTypeName(type: string): string | undefined {
  return DECLARED[type.toLowerCase()];
}

/** Whether a value may live in a variable of the declared type (Float also takes integers). */
export function fitsType(type: string, value: unknown): boolean {
  if (value === null) return true;
  const actual = azureTypeName(value);
  const declared = declaredTypeName(type);
  return actual === declared || (declared === 'Float' && actual === 'Integer');
}

export function typeMismatch(name: string, type: string, value: unknown): ActionFailure {
  const declared = declaredTypeName(type) ?? type;
  return new ActionFailure(
    'InvalidTemplate',
    `The variable '${name}' of type '${declared}' cannot be initialized or updated with value of type '${azureTypeName(value)}'. The variable '${name}' only supports values of types '${declared}'.`,
  );
}

export function requireVariable(run: RunState, name: unknown): { key: string; name: string; variable: DeclaredVariable } {
  const n = String(name ?? '');
  const variable = run.variables.get(n.toLowerCase());
  if (!variable) {
    throw new ActionFailure('InvalidTemplate', `The variable '${n}' does not exist. Initialize it with an 'InitializeVariable' action at the workflow's top level first.`);
  }
  return { key: n.toLowerCase(), name: n, variable };
}

/** Default value of a declared variable without `value`. */
export function defaultValue(type: string): unknown {
  switch (type.toLowerCase()) {
    case 'string': return '';
    case 'integer':
    case 'float': return 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return {};
    default: return null;
  }
}

/** A copy the caller may keep: variables hold their own arrays/objects, as Azure stores them. */
export function detach(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}
