import type { BenchModule, BenchRow } from './row.js';

/**
 * `npm run bench`: runs every area's benchmark module in turn and prints one table
 * (`npm run bench -- <word>...` runs only the modules whose name contains one of the words).
 * Modules are listed here explicitly so a missing one is a compile error, not a silent gap.
 */
const modules: Array<[string, () => Promise<BenchModule>]> = [
  ['expressions', () => import('./expressions.js')],
  ['engine', () => import('./engine.js')],
  ['runtime', () => import('./runtime.js')],
  ['run history', () => import('./history.js')],
  ['graph stand-in', () => import('./graph-stand-in.js')],
  ['helpers cold start', () => import('./helpers-load.js')],
  ['helpers', () => import('./helpers.js')],
  ['password reset intent', () => import('./intent-password-reset.js')],
  ['license + MFA intents', () => import('./intent-license-mfa.js')],
  ['group membership', () => import('./intent-group-membership.js')],
  ['shared mailbox permission', () => import('./intent-shared-mailbox-permission.js')],
  ['user offboarding', () => import('./intent-user-offboarding.js')],
  ['new user creation', () => import('./intent-new-user-creation.js')],
];

function format(rows: BenchRow[]): string {
  const header = ['area', 'metric', 'value', 'unit', 'target', 'ok'];
  const cells = rows.map((r) => [
    r.area,
    r.metric,
    Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(2),
    r.unit,
    r.target ?? '',
    r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => '| ' + c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const rows: BenchRow[] = [];
  // `npm run bench -- history runtime`: only the modules whose name contains one of the words.
  const only = process.argv.slice(2).map((w) => w.toLowerCase());
  for (const [name, load] of modules) {
    if (only.length > 0 && !only.some((w) => name.includes(w))) continue;
    process.stderr.write(`bench: ${name}...\n`);
    const mod = await load();
    rows.push(...(await mod.run()));
  }
  process.stdout.write(format(rows) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
