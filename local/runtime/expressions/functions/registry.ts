import { collectionFunctions } from './collection.js';
import { conversionFunctions } from './conversion.js';
import { dateTimeFunctions } from './datetime.js';
import { logicalFunctions } from './logical.js';
import { manipulationFunctions } from './manipulation.js';
import { mathFunctions } from './math.js';
import { stringFunctions } from './string.js';
import type { FunctionDef } from './types.js';
import { uriFunctions } from './uri.js';
import { workflowFunctions } from './workflow.js';
import { xmlFunctions } from './xml.js';

/** Every WDL function by lower-cased name (function names are case-insensitive). */
const REGISTRY = new Map<string, FunctionDef>();

for (const family of [
  stringFunctions,
  collectionFunctions,
  logicalFunctions,
  conversionFunctions,
  mathFunctions,
  dateTimeFunctions,
  uriFunctions,
  manipulationFunctions,
  workflowFunctions,
  xmlFunctions,
]) {
  for (const def of family) {
    const key = def.name.toLowerCase();
    if (REGISTRY.has(key)) throw new Error(`WDL function '${def.name}' is registered twice`);
    REGISTRY.set(key, def);
  }
}

export function lookupFunction(name: string): FunctionDef | undefined {
  return REGISTRY.get(name.toLowerCase());
}

export function allFunctionNames(): string[] {
  return [...REGISTRY.values()].map((d) => d.name);
}
