import { referencesIn } from '../expressions.js';
import { isRecord } from '../json.js';
import { ownedParts } from '../own-expressions.js';
import { problemSink, type ContractProblem } from '../problem.js';
import { definitionOf, type ContractProject, type JsonDocument } from '../project.js';
import type { ProjectRule, WorkflowRule } from './types.js';

/**
 * Parameters resolve the same way locally and in Azure: every @parameters('x') a workflow or
 * connections.json uses is defined in parameters.json and in parameters.azure.json (which becomes
 * the deployed parameters.json), and parameter files only point at app settings.
 */
const STANDARD_TYPES = new Set(['string', 'int', 'float', 'bool', 'array', 'object']);

function parameterNames(doc: JsonDocument): Set<string> {
  return new Set(isRecord(doc.json) ? Object.keys(doc.json) : []);
}

function missingFrom(project: ContractProject, used: Iterable<string>): Array<{ name: string; file: string }> {
  const missing: Array<{ name: string; file: string }> = [];
  for (const doc of project.parameterFiles) {
    const defined = parameterNames(doc);
    for (const name of used) if (!defined.has(name)) missing.push({ name, file: doc.file });
  }
  return missing;
}

function requireParameterFile(project: ContractProject, file: string, rule: string): ContractProblem[] {
  return project.parameterFiles.some((d) => d.file === 'parameters.json') ? [] : [{ file, rule, message: 'parameters.json is missing at the project root' }];
}

export const workflowParametersRule: WorkflowRule = {
  id: 'parameter-ref',
  title: "every @parameters('x') exists in parameters.json and parameters.azure.json",
  check(wf, project) {
    const { problems, add } = problemSink(wf.file, this.id);
    problems.push(...requireParameterFile(project, wf.file, this.id));
    for (const part of ownedParts(definitionOf(wf))) {
      let used: Set<string>;
      try {
        used = referencesIn(part.value).parameters;
      } catch (err) {
        add(`invalid expression: ${err instanceof Error ? err.message : String(err)}`, part.name);
        continue;
      }
      for (const m of missingFrom(project, used)) add(`uses parameters('${m.name}') but ${m.file} does not define it`, part.name);
    }
    return problems;
  },
};

function allowedFunctionsProblems(doc: JsonDocument, value: unknown, allowed: ReadonlySet<string>, where: string, add: (message: string) => void): Set<string> | undefined {
  try {
    const refs = referencesIn(value);
    const bad = [...refs.functions].filter((f) => !allowed.has(f));
    if (bad.length > 0) add(`${where}: only ${[...allowed].map((f) => `@${f}()`).join(' / ')} may appear in ${doc.file}, found ${bad.map((f) => `${f}()`).join(', ')}`);
    return refs.parameters;
  } catch (err) {
    add(`${where}: invalid expression: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export const parameterFilesRule: ProjectRule = {
  id: 'parameters-appsetting-only',
  title: 'parameters*.json hold only @appsetting() references with standard types',
  check(project) {
    const problems: ContractProblem[] = [];
    for (const doc of project.parameterFiles) {
      const { problems: found, add } = problemSink(doc.file, this.id);
      if (!isRecord(doc.json)) {
        add(doc.parseError ? `not valid JSON: ${doc.parseError}` : 'expected an object of parameters');
      } else {
        for (const [name, def] of Object.entries(doc.json)) {
          if (!isRecord(def) || typeof def.type !== 'string' || !('value' in def)) {
            add(`parameter '${name}' must be {type, value}`);
            continue;
          }
          if (!STANDARD_TYPES.has(def.type.toLowerCase())) add(`parameter '${name}': type '${def.type}' is not a Standard parameter type (no securestring/secureobject)`);
          // A string parameter is the app setting itself: a literal would put configuration (or a secret) in source.
          if (typeof def.value === 'string' && !/^@appsetting\('[^']+'\)$/i.test(def.value.trim()) && !/^(@\{appsetting\('[^']+'\)\})+$/i.test(def.value.trim())) {
            add(`parameter '${name}': value must be an @appsetting('NAME') reference, found ${JSON.stringify(def.value)}`);
          }
          allowedFunctionsProblems(doc, def.value, new Set(['appsetting']), `parameter '${name}'`, add);
        }
      }
      problems.push(...found);
    }
    return problems;
  },
};

export const connectionsRule: ProjectRule = {
  id: 'connections-expressions',
  title: 'connections.json uses only @parameters()/@appsetting(), and its parameters exist',
  check(project) {
    const doc = project.connections;
    if (!doc) return [];
    const { problems, add } = problemSink(doc.file, this.id);
    if (!isRecord(doc.json)) {
      add(doc.parseError ? `not valid JSON: ${doc.parseError}` : 'expected an object');
      return problems;
    }
    for (const [section, entries] of Object.entries(doc.json)) {
      if (!isRecord(entries)) continue;
      for (const [name, connection] of Object.entries(entries)) {
        const where = `${section}.${name}`;
        const used = allowedFunctionsProblems(doc, connection, new Set(['parameters', 'appsetting']), where, add);
        for (const m of missingFrom(project, used ?? [])) add(`${where}: uses parameters('${m.name}') but ${m.file} does not define it`);
      }
    }
    return problems;
  },
};
