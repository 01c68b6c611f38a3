import type { BenchRow } from './row.js';
import { evaluateTemplate, parseTemplate, type ExpressionContext } from '../local/runtime/expressions/index.js';

/**
 * Expression throughput: a typical action input (null-safe trigger access, coalesce, concat,
 * toLower, formatDateTime) parsed and evaluated. Unique texts defeat the template cache for the
 * parse+evaluate row; the cached row is what repeated runs of one workflow see.
 */
const context: ExpressionContext = {
  parameters: () => 'contoso.onmicrosoft.com',
  appsetting: () => 'http://127.0.0.1:7081',
  trigger: () => ({ outputs: { body: { intent: 'Password Reset', fields: { upn: 'Ada.Lovelace@Contoso.com', when: '2024-03-10T09:08:07Z' } } } }),
  actions: () => ({ outputs: { statusCode: 200, body: { id: 'u1' } } }),
  result: () => [],
  variables: () => 3,
  item: () => ({ upn: 'bob@contoso.com' }),
  items: () => null,
  iterationIndexes: () => 0,
  workflow: () => ({ name: 'password-reset' }),
};

function typical(i: number): string {
  return (
    `Reset @{toLower(coalesce(triggerBody()?['fields']?['upn'], 'unknown'))} (#${i}) for ` +
    `@{parameters('tenant')} at @{formatDateTime(triggerBody()?['fields']?['when'], 'yyyy-MM-dd HH:mm')}, ` +
    `status @{outputs('Get_user')?['statusCode']}`
  );
}

function opsPerSecond(run: (i: number) => void, minMs = 300): number {
  for (let i = 0; i < 500; i++) run(i); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let k = 0; k < 200; k++) run(1_000_000 + n++);
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return Math.round((n / elapsed) * 1000);
}

export async function run(): Promise<BenchRow[]> {
  const expected = 'Reset ada.lovelace@contoso.com (#7) for contoso.onmicrosoft.com at 2024-03-10 09:08, status 200';
  if (evaluateTemplate(typical(7), context) !== expected) throw new Error('bench/expressions: typical expression evaluated wrongly');
  const parseEval = opsPerSecond((i) => evaluateTemplate(typical(i), context));
  const parseOnly = opsPerSecond((i) => parseTemplate(typical(i)));
  const fixed = typical(0);
  const cached = opsPerSecond(() => evaluateTemplate(fixed, context));
  return [
    { area: 'expressions', metric: 'parse+evaluate typical template', value: parseEval, unit: 'ops/s', target: '>= 2000', ok: parseEval >= 2_000 },
    { area: 'expressions', metric: 'parse only typical template', value: parseOnly, unit: 'ops/s' },
    { area: 'expressions', metric: 'evaluate cached typical template', value: cached, unit: 'ops/s', target: '>= 5000', ok: cached >= 5_000 },
  ];
}
