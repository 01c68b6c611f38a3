import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { DeployProblem } from './errors.js';
import { deploy } from './main.js';

/** dist/scripts/deploy/cli.js → the project root three folders up. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function pack(): Promise<void> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [join(root, 'dist', 'scripts', 'pack.js'), root], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) fail(new DeployProblem(`npm run pack failed: ${stderr.trim() || error.message}`, 'Fix the build error (npm run pack shows it)'));
      else done();
    });
  });
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new DeployProblem('Not run from a terminal, so nobody can confirm.', 'Add --yes to run without questions');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

const code = await deploy(process.argv.slice(2), {
  root,
  io: { out: (line) => process.stdout.write(`${line}\n`), confirm },
  err: (line) => process.stderr.write(`${line}\n`),
  local: { pack },
});
process.exitCode = code;
