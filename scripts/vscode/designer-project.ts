import { existsSync, lstatSync } from 'node:fs';
import { link, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

/**
 * The folder the VS Code Logic Apps (Standard) extension opens as a Logic App project.
 *
 * The extension treats a folder as a project when it holds host.json with the workflows extension bundle,
 * local.settings.json, and workflow folders one level down (<root>/<name>/workflow.json); the designer takes
 * the workflow's name from its folder. This repository keeps workflows under workflows/ (the product's layout),
 * so the designer project is a thin view over it: every workflow folder and the shared root files are links to
 * the real files, so what the designer saves lands in workflows/<name>/workflow.json and connections.json
 * themselves. Only local.settings.json is generated (it is local-only in every Logic Apps project).
 *
 * Sources: the extension's project detection (Azure/LogicAppsUX, apps/vs-code-designer, verifyIsProject.ts:
 * host.json + local.settings.json + bundle id, or a subfolder with a workflow.json whose $schema is the
 * workflow definition schema; the `azureLogicAppsStandard.projectSubpath` setting names a project below the
 * opened folder) and https://learn.microsoft.com/azure/logic-apps/create-single-tenant-workflows-visual-studio-code
 * (project structure, local.settings.json).
 */
export const DESIGNER_DIR = '.logicapp';
const SHARED_FILES = ['host.json', 'connections.json', 'parameters.json'] as const;
const WORKFLOW_BUNDLE = 'Microsoft.Azure.Functions.ExtensionBundle.Workflows';

export interface DesignerProject {
  dir: string;
  workflows: string[];
  /** How each shared file reached the project: a symbolic link, or a hard link where symlinks are not allowed. */
  linkKinds: Record<string, 'symlink' | 'hardlink'>;
  /** App settings the workflows reference that have no value yet (start `npm start`, then run again). */
  unsetSettings: string[];
}

/** Settings the Logic Apps runtime itself needs locally (values from the extension's own project template). */
function runtimeSettings(projectDir: string): Record<string, string> {
  return {
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    FUNCTIONS_WORKER_RUNTIME: 'dotnet',
    FUNCTIONS_INPROC_NET8_ENABLED: '1',
    APP_KIND: 'workflowApp',
    ProjectDirectoryPath: projectDir,
  };
}

/** Every `@appsetting('X')` the deployed files reference. */
export function referencedAppSettings(...texts: string[]): string[] {
  const names = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/appsetting\('([^']+)'\)/g)) if (m[1]) names.add(m[1]);
  }
  return [...names].sort();
}

async function linkFile(target: string, path: string): Promise<'symlink' | 'hardlink'> {
  try {
    await symlink(relative(resolve(path, '..'), target), path, 'file');
    return 'symlink';
  } catch (err) {
    // Windows without Developer Mode refuses file symlinks; a hard link still shares the file's content.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    await link(target, path);
    return 'hardlink';
  }
}

async function readJsonIfPresent(path: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

/**
 * (Re)creates the designer project. `settings` are the app settings of the local system (what `npm start`
 * wrote to .local/logicapp.settings.json); settings the workflows need but nobody set are reported, not invented.
 */
export async function prepareDesignerProject(root: string, settings: Record<string, string> = {}): Promise<DesignerProject> {
  const dir = join(root, DESIGNER_DIR);
  const previous = (await readJsonIfPresent(join(dir, 'local.settings.json')))?.Values as Record<string, string> | undefined;
  // Only ever remove links and generated files: never follow a link into workflows/.
  if (existsSync(dir)) {
    for (const entry of await readdir(dir)) {
      const path = join(dir, entry);
      if (entry === '.vscode' || entry === 'workflow-designtime') continue; // the extension's own state
      if (lstatSync(path).isSymbolicLink() || lstatSync(path).isFile()) await rm(path, { force: true });
    }
  }
  await mkdir(dir, { recursive: true });

  const host = JSON.parse(await readFile(join(root, 'host.json'), 'utf8')) as { extensionBundle?: { id?: string } };
  if (host.extensionBundle?.id !== WORKFLOW_BUNDLE) {
    throw new Error(`host.json must use the extension bundle ${WORKFLOW_BUNDLE}, or the extension will not see a Logic App project.`);
  }
  const linkKinds: Record<string, 'symlink' | 'hardlink'> = {};
  for (const file of SHARED_FILES) linkKinds[file] = await linkFile(join(root, file), join(dir, file));

  const workflows: string[] = [];
  const workflowsDir = join(root, 'workflows');
  for (const entry of await readdir(workflowsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !existsSync(join(workflowsDir, entry.name, 'workflow.json'))) continue;
    // A junction on Windows needs no special rights and works like a directory symlink elsewhere.
    await symlink(join(workflowsDir, entry.name), join(dir, entry.name), process.platform === 'win32' ? 'junction' : 'dir');
    workflows.push(entry.name);
  }

  const referenced = referencedAppSettings(
    await readFile(join(root, 'parameters.json'), 'utf8'),
    await readFile(join(root, 'connections.json'), 'utf8'),
  );
  const values: Record<string, string> = { ...runtimeSettings(dir) };
  const unsetSettings: string[] = [];
  for (const name of referenced) {
    const value = settings[name] ?? previous?.[name];
    if (value === undefined) unsetSettings.push(name);
    values[name] = value ?? '';
  }
  // The managed-identity endpoint of the local stand-in, for Http actions that authenticate with a managed identity.
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER']) {
    const value = settings[name];
    if (value !== undefined) values[name] = value;
  }
  await writeFile(join(dir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }, null, 2) + '\n', { mode: 0o600 });
  await writeFile(join(dir, '.funcignore'), ['.debug', '.git*', '.vscode', 'local.settings.json', 'test', ''].join('\n'));
  return { dir, workflows: workflows.sort(), linkKinds, unsetSettings };
}
