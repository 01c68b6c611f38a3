import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where the workflow folders are: `<root>/workflows/` (this repository's layout) when that folder
 * exists, else the root itself (the VS Code extension's layout). A workflow folder is any
 * subfolder holding a workflow.json.
 */
export async function discoverWorkflows(root: string): Promise<{ workflowsDir: string; names: string[] }> {
  const nested = join(root, 'workflows');
  let workflowsDir = root;
  try {
    if ((await stat(nested)).isDirectory()) workflowsDir = nested;
  } catch {
    // no workflows/ folder: the VS Code layout
  }
  const names: string[] = [];
  for (const entry of await readdir(workflowsDir, { withFileTypes: true })) {
    // Symbolic links count too: the VS Code designer project (npm run designer) links each workflow folder.
    if (!(entry.isDirectory() || entry.isSymbolicLink()) || entry.name.startsWith('.')) continue;
    try {
      if ((await stat(join(workflowsDir, entry.name, 'workflow.json'))).isFile()) names.push(entry.name);
    } catch {
      // not a workflow folder
    }
  }
  names.sort();
  return { workflowsDir, names };
}
