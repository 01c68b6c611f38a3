import { RunbookError, type BoundParameters, type ParameterSpec } from './runbook-types.js';

/**
 * Binds job parameters to a runbook's param() block the way PowerShell does for an Automation job:
 * names are case-insensitive, mandatory parameters must be present and non-empty, [ValidateSet] is
 * case-insensitive (and keeps the given casing), and [bool] accepts only Boolean-like values. Messages are PowerShell's.
 */

const TRUE_VALUES = new Set(['true', '$true', '1']);
const FALSE_VALUES = new Set(['false', '$false', '0']);

function toBool(spec: ParameterSpec, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE_VALUES.has(v)) return true;
  if (FALSE_VALUES.has(v)) return false;
  throw new RunbookError(
    `Cannot process argument transformation on parameter '${spec.name}'. Cannot convert value "System.String" to type "System.Boolean". ` +
      'Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.',
  );
}

export function bindParameters(specs: readonly ParameterSpec[], given: Record<string, string>): BoundParameters {
  const byName = new Map(specs.map((s) => [s.name.toLowerCase(), s]));
  const supplied = new Map<string, string>();
  for (const [name, value] of Object.entries(given)) {
    const spec = byName.get(name.toLowerCase());
    if (!spec) throw new RunbookError(`A parameter cannot be found that matches parameter name '${name}'.`);
    supplied.set(spec.name, value);
  }
  const missing = specs.filter((s) => s.mandatory && !supplied.has(s.name)).map((s) => s.name);
  if (missing.length) throw new RunbookError(`Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`);

  const bound: BoundParameters = {};
  for (const spec of specs) {
    const raw = supplied.get(spec.name);
    if (raw === undefined) {
      bound[spec.name] = spec.default;
      continue;
    }
    if (spec.type === 'bool') {
      bound[spec.name] = toBool(spec, raw);
      continue;
    }
    // Validation attributes run first (ValidateNotNullOrEmpty, ValidateSet), then Mandatory's empty-string
    // check; only '' is empty: PowerShell passes whitespace and untrimmed values on as they are.
    if (spec.notNullOrEmpty && raw === '') {
      throw new RunbookError(
        `Cannot validate argument on parameter '${spec.name}'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.`,
      );
    }
    // ValidateSet compares case-insensitively but does not change the value: the script sees the caller's casing.
    if (spec.validateSet && !spec.validateSet.some((v) => v.toLowerCase() === raw.toLowerCase())) {
      throw new RunbookError(
        `Cannot validate argument on parameter '${spec.name}'. The argument "${raw}" does not belong to the set "${spec.validateSet.join(',')}" ` +
          'specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.',
      );
    }
    if (spec.mandatory && raw === '') {
      throw new RunbookError(`Cannot bind argument to parameter '${spec.name}' because it is an empty string.`);
    }
    bound[spec.name] = raw;
  }
  return bound;
}
