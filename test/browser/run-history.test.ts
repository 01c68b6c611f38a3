import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cp } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startRuntime, type RuntimeHandle } from '../../local/runtime/index.js';
import { post, startFakeRuntime, type Harness } from '../runtime/server/harness.js';
import { CHROMIUM_ARGS, chromiumPath, describeWithBrowser } from '../support/browser.js';

/**
 * The run-history page in a real browser. First against the server seeded by the fake engine,
 * which produces every action shape the page draws (loops, child runs, secure data, retries,
 * markup in errors); then against the real engine on the sample project.
 */
let h: Harness;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let failedRun = '';
let real: RuntimeHandle | undefined;
let realRoot = '';
const SAMPLE = resolve(import.meta.dirname, '../fixtures/runtime-projects/sample');

beforeAll(async () => {
  if (!chromiumPath) return;
  h = await startFakeRuntime();
  for (let i = 0; i < 4; i++) await post(h.server.triggerUrl('hello'), { n: i }, { 'x-ms-client-tracking-id': `TICKET-${1000 + i}` });
  failedRun = (await post(h.server.triggerUrl('hello'), { fail: true, user: 'ada@contoso.com' }, { 'x-ms-client-tracking-id': 'TICKET-9001' })).headers.get('x-ms-workflow-run-id') ?? '';
  userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('dialog', () => {
    throw new Error('the page ran an injected script');
  });
});

afterAll(async () => {
  await context?.close();
  await h?.server.close();
  await real?.stop();
  if (realRoot) await rm(realRoot, { recursive: true, force: true });
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describeWithBrowser('run-history page', () => {
  it('lists runs and filters by client tracking id', async () => {
    await page.goto(`${h.server.url}/`);
    await page.waitForSelector('[data-testid=run-row]');
    // hello runs plus the child runs each started
    expect(await page.locator('[data-testid=run-row]').count()).toBe(10);
    await page.screenshot({ path: '/tmp/run-history-list.png' });
    await page.fill('#f-search', 'TICKET-9001');
    await page.selectOption('#f-workflow', 'hello');
    await page.click('#f-apply');
    await page.waitForURL(/q=TICKET-9001/);
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(1);
    const row = page.locator('[data-testid=run-row]').first();
    expect(await row.getAttribute('data-run')).toBe(failedRun);
    expect(await row.locator('[data-testid=status]').textContent()).toBe('Failed');
  });

  it('opens a run: trigger, then actions in order, nested, with statuses, errors as text and the secure placeholder', async () => {
    await page.locator('[data-testid=run-link]').first().click();
    await page.waitForSelector('[data-testid=action]');
    expect(await page.locator('[data-testid=run-id]').textContent()).toBe(failedRun);
    expect(await page.locator('[data-testid=trigger]').count()).toBe(1);
    const names = await page.locator('[data-testid=action]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name') ?? ''}:${e.getAttribute('data-status') ?? ''}`));
    expect(names).toEqual(['Compose:Succeeded', 'Secret:Succeeded', 'Loop:Succeeded', 'Inner:Succeeded', 'Call_child:Succeeded', 'Flaky:Failed']);
    // Inner is drawn inside its Foreach.
    expect(await page.locator('[data-name=Loop] [data-name=Inner]').count()).toBe(1);
    const secure = page.locator('[data-name=Secret] [data-testid=secure]');
    expect(await secure.count()).toBe(2);
    expect(await secure.first().textContent()).toBe('Content not shown due to security configuration.');
    // The error message holds markup: it must show as text, not run.
    expect(await page.locator('[data-name=Flaky] [data-testid=error]').textContent()).toContain('<script>alert(1)</script>');
    expect(await page.locator('[data-name=Flaky] [data-testid=retry-history] tbody tr').count()).toBe(1);
    await page.locator('[data-name=Inner] [data-testid=show-repetitions]').click();
    await expect.poll(() => page.locator('[data-testid=repetition]').count()).toBe(2);
    await page.locator('[data-name=Compose] details[data-testid=inputs] summary').click();
    await page.screenshot({ path: '/tmp/run-history.png', fullPage: true });
  });

  it('follows the child-run link and links back to the parent', async () => {
    await page.locator('[data-testid=child-run-link]').click();
    await page.waitForSelector('[data-testid=parent-run-link]');
    expect(page.url()).toContain('/runs/child/');
    await page.locator('[data-testid=parent-run-link]').click();
    await page.waitForSelector('[data-testid=action]');
    expect(await page.locator('[data-testid=run-id]').textContent()).toBe(failedRun);
  });
});

describeWithBrowser('run-history page on the real engine', () => {
  it('shows a parent run with its child, the secure placeholder and the failing workflow', async () => {
    realRoot = await mkdtemp(join(tmpdir(), 'run-history-real-'));
    await cp(SAMPLE, join(realRoot, 'project'), { recursive: true });
    real = await startRuntime({ projectDir: join(realRoot, 'project'), dataDir: join(realRoot, 'data'), port: 0 });
    const call = (wf: string, body: unknown) => fetch(real?.triggerUrl(wf) ?? '', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await call('parent', { ticketId: 'TICKET-1', items: ['x'], password: 'hunter2-secret' });
    await call('failing', { value: 'abc' });
    const parent = await call('parent', { ticketId: 'TICKET-2', items: ['a', 'b', 'c'], password: 'hunter2-secret' });
    const runName = parent.headers.get('x-ms-workflow-run-id') ?? '';
    await real.engine.drain();

    await page.goto(`${real.url}/runs?q=TICKET-2&workflow=parent`);
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(1);
    await page.locator('[data-testid=run-link]').first().click();
    await page.waitForSelector('[data-testid=action]');
    expect(await page.locator('[data-testid=run-id]').textContent()).toBe(runName);
    const names = await page.locator('[data-testid=action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
    expect(names.filter((n) => n !== 'Upper_item')).toEqual(['Compose_ticket', 'Secret_password', 'For_each_item', 'Call_child', 'Response']);
    expect(await page.locator('[data-name=For_each_item] [data-name=Upper_item]').count()).toBe(1);
    expect(await page.locator('[data-name=Secret_password] [data-testid=secure]').first().textContent()).toBe('Content not shown due to security configuration.');
    expect(await page.content()).not.toContain('hunter2-secret');
    await page.locator('[data-name=Upper_item] [data-testid=show-repetitions]').click();
    await expect.poll(() => page.locator('[data-testid=repetition]').count()).toBe(3);
    await page.screenshot({ path: '/tmp/run-history-real.png', fullPage: true });
    await page.locator('[data-testid=child-run-link]').click();
    await page.waitForSelector('[data-testid=parent-run-link]');
    expect(await page.locator('[data-testid=action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['Succeeded', 'Succeeded']);

    await page.goto(`${real.url}/runs?workflow=failing`);
    await expect.poll(() => page.locator('[data-testid=run-row]').count()).toBe(1);
    await page.locator('[data-testid=run-link]').first().click();
    await page.waitForSelector('[data-name=Parse_number]');
    expect(await page.locator('[data-name=Parse_number]').getAttribute('data-status')).toBe('Failed');
    expect(await page.locator('[data-name=Parse_number] [data-testid=error]').count()).toBe(1);
  });
});
