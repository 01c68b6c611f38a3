import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRAPH_CALL_RULES, graphPathSegments, rulesForCall, type GraphCaller } from '../../lib/permissions/graph-calls.js';
import { EXCHANGE_APP_PERMISSION, EXCHANGE_DIRECTORY_ROLE } from '../../lib/permissions/exchange.js';
import { appRolesOf, directoryRolesOf, EXCHANGE_APP_ID, GRAPH_APP_ID, parseManifest, ManifestError, shippedManifest, type Grant } from '../../lib/permissions/manifest.js';

/**
 * infra/permissions.json: valid, every grant explained (why, calls, intents, Microsoft Learn page), least
 * privilege (each permission is the least privileged entry of Microsoft's table for at least one call of
 * its identity), and no grant without a call.
 */
const manifest = shippedManifest();
const graphGrants = (identity: GraphCaller) => manifest.grants.filter((g) => g.identity === identity && g.kind === 'appRole' && g.resourceAppId === GRAPH_APP_ID);

describe('infra/permissions.json', () => {
  it('is valid against the schema (lib/permissions/manifest.ts)', () => {
    expect(() => parseManifest(JSON.parse(readFileSync('infra/permissions.json', 'utf8')))).not.toThrow();
  });

  it('refuses a grant without docs, calls or intents, naming the field', () => {
    const bad = structuredClone(manifest) as unknown as { grants: Array<Record<string, unknown>> };
    bad.grants[0]!.docs = [];
    bad.grants[1]!.calls = [];
    try {
      parseManifest(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestError);
      expect((e as ManifestError).problems.join('\n')).toMatch(/grants\.0\.docs[\s\S]*grants\.1\.calls/);
    }
  });

  it('holds every identity the contract names, and every grant belongs to one', () => {
    expect(manifest.identities.map((i) => i.id).sort()).toEqual(['automation', 'helpers', 'logicApp', 'office365']);
  });

  it('gives no identity Mail.Send or MailboxSettings.ReadWrite (mail is sent as the one connected mailbox; auto-replies go through Exchange)', () => {
    const values = manifest.grants.filter((g) => g.kind === 'appRole').map((g) => g.value);
    expect(values).not.toContain('Mail.Send');
    expect(values).not.toContain('MailboxSettings.ReadWrite');
  });

  it('the Logic App writes and the helpers only read on Graph', () => {
    for (const g of graphGrants('helpers')) expect(g.value, `${g.value} is a read permission`).toMatch(/\.Read(\.|$)/);
    for (const g of graphGrants('logicApp')) expect(g.value).toMatch(/ReadWrite|RevokeSessions/);
  });

  it('the Automation account holds what the Exchange answers name (lib/permissions/exchange.ts)', () => {
    expect(appRolesOf(manifest, 'automation', EXCHANGE_APP_ID)).toEqual([EXCHANGE_APP_PERMISSION]);
    expect(directoryRolesOf(manifest, 'automation')).toEqual([EXCHANGE_DIRECTORY_ROLE]);
  });

  it("each Graph call a grant lists is a row of lib/permissions/graph-calls.ts that this grant covers for its identity", () => {
    for (const g of manifest.grants.filter((x) => x.identity === 'logicApp' || x.identity === 'helpers')) {
      if (g.kind === 'appRole' && g.resourceAppId !== GRAPH_APP_ID) continue;
      const caller: GraphCaller = g.identity === 'logicApp' ? 'logicApp' : 'helpers';
      for (const call of g.calls) {
        const m = /^(GET|POST|PATCH|PUT|DELETE) (?:(beta) )?(\S+)(?: (\w+))?$/.exec(call);
        expect(m, `"${call}" reads as METHOD [beta] /path [property]`).not.toBeNull();
        const [, method, beta, path, property] = m!;
        const { segments } = graphPathSegments(path!.replace('{methodType}', 'phoneMethods'));
        const rules = rulesForCall(method!, beta ? 'beta' : 'v1.0', segments, property ? [property] : []);
        expect(rules.length, `${g.identity} ${g.value}: ${call} has a row`).toBeGreaterThan(0);
        const covers = rules.some((r) => (g.kind === 'directoryRole' ? r.roles?.includes(g.value) : r.granted?.[caller]?.includes(g.value)));
        expect(covers, `${g.identity} ${g.value}: ${call} is granted through it`).toBe(true);
      }
    }
  });

  it('least privilege: every Graph permission is the least privileged entry of Microsoft\'s table for at least one call of its identity', () => {
    for (const caller of ['logicApp', 'helpers'] as const) {
      for (const g of graphGrants(caller)) {
        const leastFor = GRAPH_CALL_RULES.filter((r) => r.granted?.[caller]?.includes(g.value) && r.accepted[0]?.length === 1 && r.accepted[0][0] === g.value);
        expect(leastFor.map((r) => r.id), `${caller} ${g.value} is least privileged for one of its calls`).not.toEqual([]);
      }
    }
  });

  it('no grant without a call: each Graph grant of the Logic App and the helpers is what some row grants them', () => {
    for (const caller of ['logicApp', 'helpers'] as const) {
      const used = new Set(GRAPH_CALL_RULES.flatMap((r) => [...(r.granted?.[caller] ?? [])]));
      for (const g of graphGrants(caller)) expect(used.has(g.value), `${caller} ${g.value}`).toBe(true);
      for (const role of directoryRolesOf(manifest, caller)) expect(GRAPH_CALL_RULES.some((r) => r.granted?.[caller] && r.roles?.includes(role)), `${caller} ${role}`).toBe(true);
    }
  });

  it('what each row grants an identity is one of the combinations Microsoft accepts, and the identity holds it', () => {
    for (const rule of GRAPH_CALL_RULES) {
      for (const [caller, granted] of Object.entries(rule.granted ?? {}) as Array<[GraphCaller, readonly string[]]>) {
        expect(rule.accepted.some((combo) => combo.length === granted.length && combo.every((p) => granted.includes(p))), `${rule.id}: ${granted.join('+')} is accepted`).toBe(true);
        for (const p of granted) expect(appRolesOf(manifest, caller), `${rule.id}: ${caller} holds ${p}`).toContain(p);
        if (rule.roles) expect(rule.roles.some((r) => directoryRolesOf(manifest, caller).includes(r)), `${rule.id}: ${caller} holds one of ${rule.roles.join(', ')}`).toBe(true);
      }
    }
  });

  it('every grant cites Microsoft Learn and says why in a sentence', () => {
    for (const g of manifest.grants as Grant[]) {
      expect(g.docs.every((d) => d.startsWith('https://learn.microsoft.com/')), `${g.identity} ${g.value}`).toBe(true);
      expect(g.why.trim().endsWith('.'), `${g.identity} ${g.value}: why is a sentence`).toBe(true);
    }
  });
});
