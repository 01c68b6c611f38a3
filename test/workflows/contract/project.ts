import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanFunctionRegistrations, type FunctionScan } from './function-routes.js';
import { isRecord, type JsonRecord } from './json.js';

/**
 * What the contract rules look at, read from disk once: every workflows/<name>/workflow.json present
 * (never a fixed list: workflows added later are checked too), the root JSON files, the inline-code
 * sources and the helper routes.
 */
export interface JsonDocument {
  /** Relative to the project root, with forward slashes. */
  file: string;
  json: unknown;
  /** Set when the file is not valid JSON; json is then undefined. */
  parseError?: string;
}

export interface WorkflowDocument extends JsonDocument {
  name: string;
}

export interface ContractProject {
  root: string;
  workflows: WorkflowDocument[];
  connections: JsonDocument | undefined;
  /** parameters.json first, then parameters.azure.json when present. */
  parameterFiles: JsonDocument[];
  /** "lib/inline/<name>.ts" for every inline-code module. */
  inlineSources: Set<string>;
  functions: FunctionScan;
}

function readDocument(root: string, file: string): JsonDocument {
  const text = readFileSync(join(root, file), 'utf8');
  try {
    return { file, json: JSON.parse(text) as unknown };
  } catch (err) {
    return { file, json: undefined, parseError: err instanceof Error ? err.message : String(err) };
  }
}

export function workflowFolders(root: string): string[] {
  const dir = join(root, 'workflows');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'workflow.json')))
    .map((e) => e.name)
    .sort();
}

export function loadContractProject(root: string): ContractProject {
  const workflows = workflowFolders(root).map((name) => ({ name, ...readDocument(root, `workflows/${name}/workflow.json`) }));
  const parameterFiles = ['parameters.json', 'parameters.azure.json'].filter((f) => existsSync(join(root, f))).map((f) => readDocument(root, f));
  const inlineDir = join(root, 'lib/inline');
  const inlineSources = new Set(
    existsSync(inlineDir)
      ? readdirSync(inlineDir)
          .filter((f) => f.endsWith('.ts'))
          .map((f) => `lib/inline/${f}`)
      : [],
  );
  return {
    root,
    workflows,
    connections: existsSync(join(root, 'connections.json')) ? readDocument(root, 'connections.json') : undefined,
    parameterFiles,
    inlineSources,
    functions: scanFunctionRegistrations(root),
  };
}

export function definitionOf(wf: JsonDocument): JsonRecord {
  return isRecord(wf.json) && isRecord(wf.json.definition) ? wf.json.definition : {};
}

/** Names of a connections.json section ("managedApiConnections" / "serviceProviderConnections"). */
export function connectionNames(project: ContractProject, section: string): Set<string> {
  const json = project.connections?.json;
  const entries = isRecord(json) && isRecord(json[section]) ? Object.keys(json[section]) : [];
  return new Set(entries);
}
