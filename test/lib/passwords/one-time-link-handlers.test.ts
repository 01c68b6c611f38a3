import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTimeLinkPage, oneTimeLinkReveal } from '../../../lib/functions/one-time-link.js';
import { createOneTimeLinkStore } from '../../../lib/passwords/one-time-link-store.js';
import { setOneTimeLinkStore } from '../../../lib/passwords/one-time-link.js';
import { REVEAL_PAGE_CSP } from '../../../lib/passwords/reveal-page.js';
import { FakeLinkTable } from './fake-link-table.js';
import { captureTelemetry } from '../../../lib/telemetry/track.js';

const table = new FakeLinkTable();
const now = { value: Date.parse('2026-05-01T10:00:00Z') };
const store = createOneTimeLinkStore({ table: async () => table.asLinkTable(), publicBaseUrl: () => 'https://h.example', ttlHours: 24, now: () => new Date(now.value) });

beforeAll(() => setOneTimeLinkStore(store));
afterAll(() => setOneTimeLinkStore(undefined));

const get = (id: string) => oneTimeLinkPage.handler(new HttpRequest({ method: 'GET', url: `https://h.example/api/secret/${id}`, params: { id } }), new InvocationContext());
const post = (id: string, body: string) =>
  oneTimeLinkReveal.handler(new HttpRequest({ method: 'POST', url: `https://h.example/api/secret/${id}/reveal`, params: { id }, body: { string: body } }), new InvocationContext());
const keyOf = (url: string) => new URL(url).hash.slice(3);

describe('one-time link functions', () => {
  it('registration metadata: anonymous GET page and POST reveal', () => {
    expect(oneTimeLinkPage).toMatchObject({ methods: ['GET'], route: 'secret/{id}', authLevel: 'anonymous' });
    expect(oneTimeLinkReveal).toMatchObject({ methods: ['POST'], route: 'secret/{id}/reveal', authLevel: 'anonymous' });
  });

  it('GET renders the page without revealing or consuming anything', async () => {
    const link = await store.create('Page-Secret-1');
    for (let i = 0; i < 3; i++) {
      const response = await get(link.id);
      expect(response.status).toBe(200);
      expect(String(response.body)).toContain('Reveal password');
      expect(String(response.body)).not.toContain('Page-Secret-1');
      expect(String(response.body)).not.toMatch(/<(link|img|iframe)\b|src=|https?:\/\//);
    }
    expect(await store.inspect(link.id)).toBe('active');
  });

  it('sends no-store, no-referrer and a strict CSP', async () => {
    const link = await store.create('Header-Secret-1');
    const response = await get(link.id);
    const headers = response.headers as Record<string, string>;
    expect(headers['Cache-Control']).toContain('no-store');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
    expect(headers['Content-Security-Policy']).toBe(REVEAL_PAGE_CSP);
    expect(REVEAL_PAGE_CSP).toContain("default-src 'none'");
    expect(REVEAL_PAGE_CSP).not.toContain('unsafe-inline');
    expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
  });

  it('POST with the key reveals once; then used', async () => {
    const capture = captureTelemetry();
    const link = await store.create('Reveal-Secret-1');
    const first = await post(link.id, JSON.stringify({ key: keyOf(link.url) }));
    expect(first.status).toBe(200);
    expect(first.jsonBody).toEqual({ secret: 'Reveal-Secret-1' });
    expect((first.headers as Record<string, string>)['Cache-Control']).toContain('no-store');
    const second = await post(link.id, JSON.stringify({ key: keyOf(link.url) }));
    expect(second.status).toBe(410);
    expect(second.jsonBody).toMatchObject({ error: { code: 'link_used' } });
    const page = await get(link.id);
    expect(page.status).toBe(410);
    expect(String(page.body)).toContain('This link has already been used');
    capture.stop();
    expect(capture.events).toEqual([
      expect.objectContaining({ name: 'step', step: 'reveal_link', status: 'succeeded', run_id: `link:${link.id}`, intent_id: 'one-time-link' }),
      expect.objectContaining({ name: 'step', step: 'reveal_link', status: 'failed', error_code: 'link_used' }),
    ]);
    expect(JSON.stringify(capture.events)).not.toContain('Reveal-Secret-1');
    expect(JSON.stringify(capture.events)).not.toContain(keyOf(link.url));
  });

  it('expired link: page and reveal say so plainly', async () => {
    const link = await store.create('Expire-Secret-1', { ttlHours: 1 });
    now.value += 2 * 3600_000;
    const page = await get(link.id);
    expect(page.status).toBe(410);
    expect(String(page.body)).toContain('This link has expired');
    expect((await post(link.id, JSON.stringify({ key: keyOf(link.url) }))).jsonBody).toMatchObject({ error: { code: 'link_expired' } });
  });

  it('bad bodies: missing key 400, oversized 413, wrong key 400 without burning', async () => {
    const link = await store.create('Body-Secret-1');
    expect((await post(link.id, 'not json')).status).toBe(400);
    expect((await post(link.id, JSON.stringify({ key: 'x'.repeat(2000) }))).status).toBe(413);
    expect((await post(link.id, JSON.stringify({ key: 'A'.repeat(43) }))).jsonBody).toMatchObject({ error: { code: 'refused' } });
    expect((await post(link.id, JSON.stringify({ key: keyOf(link.url) }))).jsonBody).toEqual({ secret: 'Body-Secret-1' });
  });

  it('storage outage: page answers 503 "try again", never a stack trace', async () => {
    table.failNext = 503;
    const page = await get('AAAAAAAAAAAAAAAAAAAAAA');
    expect(page.status).toBe(503);
    expect(String(page.body)).toContain('try again');
  });
});
