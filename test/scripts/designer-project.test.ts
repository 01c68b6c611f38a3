import { existsSync, lstatSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverWorkflows } from '../../local/runtime/project/discover.js';
import { DESIGNER_DIR, prepareDesignerProject, referencedAppSettings } from '../../scripts/vscode/designer-project.js';

const REPO = resolve(import.meta.dirname, '../..');

/**
 * The VS Code Logic Apps (Standard) extension's project detection, as its source states it
 * (Azure/LogicAppsUX apps/vs-code-designer, verifyIsProject.ts): a folder is a Logic App project when it has
 * host.json with the Workflows extension bundle and local.settings.json (older releases), or a subfolder holding a
 * workflow.json whose definition $schema names the Logic Apps workflow definition schema (current releases).
 */
async function extensionSeesProject(dir: string): Promise<{ byHost: boolean; byWorkflow: boolean }> {
  const host = JSON.parse(await readFile(join(dir, 'host.json'), 'utf8')) as { extensionBundle?: { id?: string } };
  const byHost =
    host.extensionBundle?.id === 'Microsoft.Azure.Functions.ExtensionBundle.Workflows' && existsSync(join(dir, 'local.settings.json'));
  let byWorkflow = false;
  for (const sub of await readdir(dir)) {
    const file = join(dir, sub, 'workflow.json');
    if (!existsSync(file)) continue;
    const schema = (JSON.parse(await readFile(file, 'utf8')) as { definition?: { $schema?: string } }).definition?.$schema ?? '';
    if (schema.includes('Microsoft.Logic') && schema.includes('workflowdefinition.json')) byWorkflow = true;
  }
  return { byHost, byWorkflow };
}

describe('npm run designer: the Logic App project the VS Code extension opens', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'designer-'));
    for (const f of ['host.json', 'connections.json', 'parameters.json']) await cp(join(REPO, f), join(root, f));
    await cp(join(REPO, 'workflows'), join(root, 'workflows'), { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is detected as a Logic App project by both of the extension checks', async () => {
    const project = await prepareDesignerProject(root);
    expect(await extensionSeesProject(project.dir)).toEqual({ byHost: true, byWorkflow: true });
  });

  it('links every workflow folder, and the designer names each workflow after its folder as in workflows/', async () => {
    const project = await prepareDesignerProject(root);
    const expected = (await readdir(join(root, 'workflows'))).sort();
    expect(project.workflows).toEqual(expected);
    for (const name of expected) expect(lstatSync(join(project.dir, name)).isSymbolicLink()).toBe(true);
  });

  it('saves made through the designer project land in workflows/<name>/workflow.json and the root files', async () => {
    const project = await prepareDesignerProject(root);
    const viaDesigner = join(project.dir, 'password-reset', 'workflow.json');
    const edited = (await readFile(viaDesigner, 'utf8')).replace('"definition"', '"definition" ');
    await writeFile(viaDesigner, edited);
    expect(await readFile(join(root, 'workflows', 'password-reset', 'workflow.json'), 'utf8')).toBe(edited);
    const connections = JSON.stringify({ managedApiConnections: {} });
    await writeFile(join(project.dir, 'connections.json'), connections);
    expect(await readFile(join(root, 'connections.json'), 'utf8')).toBe(connections);
  });

  it('running it again keeps the workflows and the settings already filled in', async () => {
    await prepareDesignerProject(root, { HELPERS_BASE_URL: 'http://127.0.0.1:7072' });
    const again = await prepareDesignerProject(root);
    expect(existsSync(join(root, 'workflows', 'password-reset', 'workflow.json'))).toBe(true);
    const settings = JSON.parse(await readFile(join(again.dir, 'local.settings.json'), 'utf8')) as { Values: Record<string, string> };
    expect(settings.Values.HELPERS_BASE_URL).toBe('http://127.0.0.1:7072');
  });

  it('local.settings.json carries the runtime settings of a Logic Apps project and names what is still unset', async () => {
    const project = await prepareDesignerProject(root, { GRAPH_BASE_URL: 'http://127.0.0.1:7081' });
    const { Values } = JSON.parse(await readFile(join(project.dir, 'local.settings.json'), 'utf8')) as { Values: Record<string, string> };
    // https://learn.microsoft.com/azure/logic-apps/create-single-tenant-workflows-visual-studio-code (local.settings.json)
    expect(Values).toMatchObject({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', FUNCTIONS_WORKER_RUNTIME: 'dotnet', APP_KIND: 'workflowApp' });
    const referenced = referencedAppSettings(await readFile(join(root, 'parameters.json'), 'utf8'), await readFile(join(root, 'connections.json'), 'utf8'));
    for (const name of referenced) expect(Values).toHaveProperty(name);
    expect(project.unsetSettings).not.toContain('GRAPH_BASE_URL');
    expect(project.unsetSettings).toContain('HELPERS_BASE_URL');
  });

  it('the local runtime reads the designer project as a VS Code layout and finds the same workflows', async () => {
    const project = await prepareDesignerProject(root);
    const found = await discoverWorkflows(project.dir);
    expect(found.workflowsDir).toBe(project.dir);
    expect(found.names).toEqual(project.workflows);
  });

  it(`the repository points the extension at ${DESIGNER_DIR} and keeps it out of git`, async () => {
    const settings = JSON.parse(await readFile(join(REPO, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(settings['azureLogicAppsStandard.projectSubpath']).toBe(DESIGNER_DIR);
    expect(await readFile(join(REPO, '.gitignore'), 'utf8')).toContain(`${DESIGNER_DIR}/`);
  });
});
