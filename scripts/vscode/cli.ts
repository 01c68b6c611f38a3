import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DESIGNER_DIR, prepareDesignerProject } from './designer-project.js';

/**
 * `npm run designer`: prepares .logicapp/, the Logic App project the VS Code extension opens (see
 * docs/vscode.md). Run it again after adding a workflow folder, or after `npm start` to fill in the settings.
 */
async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? process.cwd());
  const settingsFile = join(root, '.local', 'logicapp.settings.json');
  const settings = existsSync(settingsFile) ? (JSON.parse(await readFile(settingsFile, 'utf8')) as Record<string, string>) : {};
  const project = await prepareDesignerProject(root, settings);
  const lines = [
    `Designer project ready: ${project.dir}`,
    `  ${project.workflows.length} workflows linked from workflows/: ${project.workflows.join(', ')}`,
    `  host.json, connections.json, parameters.json: ${[...new Set(Object.values(project.linkKinds))].join('/')} to the repository's files`,
    project.unsetSettings.length
      ? `  Not set yet (start 'npm start', then run 'npm run designer' again): ${project.unsetSettings.join(', ')}`
      : '  local.settings.json points at the stand-ins of the running `npm start`.',
    `Open the repository in VS Code; the extension finds the project through .vscode/settings.json (projectSubpath ${DESIGNER_DIR}).`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`designer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
