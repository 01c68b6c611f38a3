import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import { customers } from './main.js';
import type { CustomerCommand } from './options.js';

/** dist/scripts/customers/cli.js <add|remove|list> … → the project root three folders up. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [command, ...argv] = process.argv.slice(2);

async function waitForConsent(): Promise<void> {
  if (!process.stdin.isTTY) return; // not interactive: verify at once (run again after the admin has consented)
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    await rl.question('   Press Enter once the admin has accepted (the check runs then) ');
  } finally {
    rl.close();
  }
}

if (command !== 'add' && command !== 'remove' && command !== 'list') {
  process.stderr.write('Usage: npm run customer:add|customer:remove|customer:list -- --help\n');
  process.exitCode = 2;
} else {
  process.exitCode = await customers(command as CustomerCommand, argv, {
    root,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    waitForConsent,
  });
}
