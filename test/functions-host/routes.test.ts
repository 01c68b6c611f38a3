import { describe, expect, it } from 'vitest';
import { compileRoute } from '../../local/functions-host/routes.js';
import azureFunctions from '@azure/functions';
import { collectRegistrations, importRegistrations } from '../../local/functions-host/registrations.js';

describe('route templates', () => {
  it('matches literals case-insensitively and binds parameters', () => {
    expect(compileRoute('status/{ticketId}/{key}').match('Status/5678/abc%2Fdef')).toEqual({ ticketId: '5678', key: 'abc/def' });
    expect(compileRoute('lookups/user').match('lookups/user/extra')).toBeUndefined();
  });

  it('supports optional, constrained and catch-all parameters', () => {
    expect(compileRoute('items/{id:int}/{name?}').match('items/12')).toEqual({ id: '12' });
    expect(compileRoute('items/{id:int}').match('items/x')).toBeUndefined();
    expect(compileRoute('files/{*path}').match('files/a/b/c')).toEqual({ path: 'a/b/c' });
  });

  it('collects http and timer registrations from module exports, ignoring other exports', () => {
    const handler = async () => ({});
    const found = collectRegistrations({ a: { route: 'a', handler }, t: { schedule: '0 * * * * *', handler }, CONST: 'x', fn: handler });
    expect([...found.http.keys()]).toEqual(['a']);
    expect([...found.timers.keys()]).toEqual(['t']);
  });

  it('records app.http / app.get / app.timer calls made while the module loads, exported or not, then restores app', async () => {
    const { app } = azureFunctions;
    const original = app.http;
    const handler = async () => ({});
    const found = await importRegistrations(async () => {
      app.http('hidden', { route: 'hidden', methods: ['POST'], handler });
      app.get('ping', handler);
      app.timer('tick', { schedule: '0 * * * * *', handler });
      return { exported: { route: 'exported', handler } };
    });
    expect([...found.http.keys()].sort()).toEqual(['exported', 'hidden', 'ping']);
    expect(found.http.get('ping')?.methods).toEqual(['GET']);
    expect([...found.timers.keys()]).toEqual(['tick']);
    expect(app.http).toBe(original);
  });
});
