import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { serviceProviderRegistry } from '../connectors/index.js';
import type { LoadedProject, LoadedWorkflow, ServiceProviderHandler } from '../model.js';
import { readAppSettings } from './app-settings.js';
import { discoverWorkflows } from './discover.js';
import { ProjectValidationError, type ProjectProblem } from './errors.js';
import { isRecord, readJsonFile, type JsonFile } from './read-json.js';
import { resolveConnections, resolveParameters } from './resolve.js';
import { validateWorkflow } from './validate-workflow.js';
import { checkDefinitionRules, type DefinitionRuleProblem } from './definition-rules.js';

export { ProjectValidationError, formatProblem } from './errors.js';
export type { ProjectProblem } from './errors.js';

export interface LoadProjectOptions {
  appSettings?: Record<string, string>;
  serviceProviders?: readonly ServiceProviderHandler[];
}

function toProjectProblem(p: DefinitionRuleProblem): ProjectProblem {
  const message = p.trigger !== undefined ? `trigger '${p.trigger}': ${p.message}` : p.message;
  const base = { file: p.file, message, rule: p.rule, source: p.source };
  return p.action !== undefined ? { ...base, action: p.action } : base;
}

/**
 * Loads and validates a Logic Apps Standard project folder. Every problem in every file is
 * collected and thrown together as one ProjectValidationError; nothing is half-loaded.
 */
export async function loadProject(root: string, opts: LoadProjectOptions = {}): Promise<LoadedProject> {
  const problems: ProjectProblem[] = [];
  const hostFile = await readJsonFile(join(root, 'host.json'), 'host.json', problems, true);
  const appSettings = await readAppSettings(root, opts.appSettings, problems);
  const parametersFile = await readJsonFile(join(root, 'parameters.json'), 'parameters.json', problems, false);
  const connectionsFile = await readJsonFile(join(root, 'connections.json'), 'connections.json', problems, false);
  const parameters = resolveParameters(parametersFile?.value, appSettings, problems);
  const connections = resolveConnections(connectionsFile?.value, appSettings, parameters, problems);

  const { workflowsDir, names } = await discoverWorkflows(root);
  const files = new Map<string, { rel: string; file: string; json: JsonFile | undefined }>();
  for (const name of names) {
    const file = join(workflowsDir, name, 'workflow.json');
    const rel = relative(root, file).split(sep).join('/');
    files.set(name, { rel, file, json: await readJsonFile(file, rel, problems, true) });
  }
  const ctx = {
    workflowNames: new Set(names.map((n) => n.toLowerCase())),
    connections,
    parameters,
    providers: serviceProviderRegistry(opts.serviceProviders ?? []),
  };
  const workflows = new Map<string, LoadedWorkflow>();
  for (const [name, { rel, file, json }] of files) {
    if (!json) continue;
    // Shape and local-runtime support first, then the definition rules Azure documents and refuses.
    const found = [...validateWorkflow(rel, json.value, ctx), ...checkDefinitionRules(rel, json.value, { workflowName: name }).map(toProjectProblem)];
    problems.push(...found);
    if (found.length > 0 || !isRecord(json.value) || !isRecord(json.value.definition)) continue;
    const definition = json.value.definition;
    const [triggerName, trigger] = Object.entries(isRecord(definition.triggers) ? definition.triggers : {})[0] ?? ['', {}];
    workflows.set(name, {
      name,
      file,
      kind: json.value.kind === 'Stateless' ? 'Stateless' : 'Stateful',
      definition,
      version: createHash('md5').update(json.text).digest('hex'),
      triggerName,
      trigger: isRecord(trigger) ? trigger : {},
    });
  }
  if (problems.length > 0) throw new ProjectValidationError(problems);
  return {
    root,
    workflowsDir,
    host: isRecord(hostFile?.value) ? hostFile.value : {},
    connections,
    parameters,
    appSettings,
    workflows,
  };
}
