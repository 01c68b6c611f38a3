import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { BUILD_COMMAND, generateWorkflows } from './generate.js';

/**
 * `npm run build:workflows`: writes the generated parts of workflows/* from scripts/workflows (templates and
 * fragments; docs/workflow-design.md "Generated parts"). `--check` writes nothing and exits 1 when a workflow
 * differs from what its sources generate (test/workflows/generated.test.ts makes the same comparison).
 */
export async function buildWorkflows(repoRoot: string, opts: { check?: boolean } = {}): Promise<string[]> {
  const changed: string[] = [];
  for (const generated of await generateWorkflows(repoRoot)) {
    if (generated.text === generated.current) continue;
    changed.push(relative(repoRoot, generated.file));
    if (!opts.check) await writeFile(generated.file, generated.text);
  }
  return changed;
}

const invokedDirectly = process.argv[1] !== undefined && /workflows[\\/]build\.(m?js|ts)$/.test(process.argv[1]);
if (invokedDirectly) {
  const check = process.argv.includes('--check');
  buildWorkflows(process.cwd(), { check })
    .then((changed) => {
      for (const file of changed) console.log(`${check ? 'out of date' : 'updated'}: ${file}`);
      if (check && changed.length > 0) {
        console.error(`These workflows differ from scripts/workflows: edit the template or fragment named in the action's description, then run ${BUILD_COMMAND}`);
        process.exitCode = 1;
      }
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    });
}
