import { expect, it, vi } from 'vitest';
vi.mock('../../lib/functions/index.js', async (original) => ({ ...(await original<Record<string, unknown>>()), ...(await import('../../lib/functions/intent-group-membership.js')) }));
it('bench', async () => {
  const { run } = await import('../../bench/intent-group-membership.js');
  const rows = await run();
  for (const r of rows) console.log(`${r.metric} = ${Math.round(r.value * 100) / 100} ${r.unit} ${r.target ?? ''} ${r.ok ?? ''}`);
  expect(rows.length).toBeGreaterThan(0);
}, 300_000);
