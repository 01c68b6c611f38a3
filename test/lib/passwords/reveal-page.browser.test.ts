import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createOneTimeLinkStore, type OneTimeLinkStore } from '../../../lib/passwords/one-time-link-store.js';
import { setOneTimeLinkStore } from '../../../lib/passwords/one-time-link.js';
import { FakeLinkTable } from './fake-link-table.js';
import { startFunctionsHost, type FunctionsHost } from '../../../local/functions-host/index.js';
import { oneTimeLinkPage, oneTimeLinkReveal } from '../../../lib/functions/one-time-link.js';
import { CHROMIUM_ARGS, chromiumPath, describeWithBrowser } from '../../support/browser.js';

/**
 * The reveal page in a real browser, served by the local functions host (with its Easy Auth emulation,
 * which must let these anonymous routes through): inert on load, reveals on click, works under its own
 * strict CSP.
 */
let server: FunctionsHost;
let store: OneTimeLinkStore;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const cspErrors: string[] = [];

beforeAll(async () => {
  if (!chromiumPath) return;
  server = await startFunctionsHost({ allowedAudience: 'api://thread-intent-runner-helpers', functions: { oneTimeLinkPage, oneTimeLinkReveal } });
  const table = new FakeLinkTable();
  store = createOneTimeLinkStore({ table: async () => table.asLinkTable(), publicBaseUrl: () => server.url, ttlHours: 24 });
  setOneTimeLinkStore(store);
  userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    // No name resolution except the loopback server: Chromium would otherwise look up Google hosts.
    args: CHROMIUM_ARGS,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) cspErrors.push(message.text());
  });
});

afterAll(async () => {
  setOneTimeLinkStore(undefined);
  await context?.close();
  await server?.stop();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describeWithBrowser('reveal page in a browser', () => {
  it('shows nothing on load, reveals once on click, copies, and the link is then dead', async () => {
    const link = await store.create('Browser-Secret-42!');
    await page.goto(link.url);
    await expect.poll(() => page.locator('#reveal').isEnabled()).toBe(true);
    expect(await page.locator('#secret').textContent()).toBe('');
    expect(await store.inspect(link.id)).toBe('active');

    await page.click('#reveal');
    await expect.poll(() => page.locator('#secret').textContent()).toBe('Browser-Secret-42!');
    expect(await page.locator('#result').isVisible()).toBe(true);
    expect(await page.locator('#result').textContent()).toContain('This link no longer works');
    // The key is removed from the address bar once used.
    expect(new URL(page.url()).hash).toBe('');

    await page.click('#copy');
    await expect.poll(() => page.locator('#copy').textContent()).toMatch(/Copied|Select the text/);

    // A fresh load (not a same-document fragment navigation) as when the person clicks the mail link again.
    await page.goto('about:blank');
    await page.goto(link.url);
    expect(await page.locator('h1').textContent()).toBe('This link has already been used');
    expect(cspErrors).toEqual([]);
  });

  it('a link without its key cannot reveal and says so', async () => {
    const link = await store.create('No-Key-Secret-1!');
    await page.goto(link.url.split('#')[0] ?? '');
    await expect.poll(() => page.locator('#message').textContent()).toContain('This link is incomplete');
    expect(await page.locator('#reveal').isDisabled()).toBe(true);
    expect(await store.inspect(link.id)).toBe('active');
  });
});
