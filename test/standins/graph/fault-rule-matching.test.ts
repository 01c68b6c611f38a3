import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainUnmatchable, FaultInjector, globToRegExp } from '../../../local/standins/graph/faults.js';
import { startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphToken } from './helpers.js';

/**
 * Fault rule paths: `*` is one segment, `**` any number (docs/graph-stand-in.md "Fault injection"); rules are
 * checked against the route table when added and counted as calls match them, so a rule that can't or didn't
 * match is reported instead of silently doing nothing (issue 11 item 10).
 */

describe('fault rule globs', () => {
  it('`*` is one segment, `**` any number, zero included', () => {
    expect(globToRegExp('/groups/*').test('/groups/abc')).toBe(true);
    expect(globToRegExp('/groups/*').test('/groups/abc/members/$ref')).toBe(false);
    expect(globToRegExp('/groups/**').test('/groups/abc/members/$ref')).toBe(true);
    expect(globToRegExp('/groups/**').test('/groups')).toBe(true);
    expect(globToRegExp('/groups/**').test('/groupsX')).toBe(false);
    expect(globToRegExp('/groups/*/members/$ref').test('/groups/abc/members/$ref')).toBe(true);
  });

  it('a rule that fits no route gets a warning naming it and what it probably meant', () => {
    const routes = [
      { method: 'GET', pattern: 'groups/{group}' },
      { method: 'POST', pattern: 'groups/{group}/members/$ref' },
      { method: 'DELETE', pattern: 'groups/{group}/members/{member}/$ref' },
    ];
    expect(explainUnmatchable({ path: '/groups/**', method: 'POST' }, routes)).toBeUndefined();
    // A rule naming a real object id fits the route whose {param} stands there.
    expect(explainUnmatchable({ path: '/groups/2f9b0c1e-aaaa-4bbb-8ccc-123456789abc/members/$ref', method: 'POST' }, routes)).toBeUndefined();
    expect(explainUnmatchable({ path: '/v1.0/groups/g-1/members/u-1/$ref', method: 'DELETE' }, routes)).toBeUndefined();
    expect(explainUnmatchable({ path: '/groups/*', method: 'POST', id: 'fault-1' }, routes)).toBe(
      'Graph fault rule fault-1 (POST /groups/*) matches no route of the Graph stand-in: /groups/* matches /groups/{group} only; POST calls below it go to e.g. /groups/{group}/members/$ref: use /groups/**.',
    );
    const warnings: string[] = [];
    new FaultInjector(routes, (m) => warnings.push(m)).add({ path: '/usres/*', status: 503 });
    expect(warnings).toEqual(['Graph fault rule fault-1 (/usres/*) matches no route of the Graph stand-in.']);
  });
});

describe('fault rules on the Graph stand-in: match counts and unmatched rules', () => {
  let graph: GraphStandIn;
  const warnings: string[] = [];
  const auth = { authorization: `Bearer ${graphToken()}`, 'content-type': 'application/json' };

  beforeAll(async () => {
    graph = await startGraphStandIn({
      faults: [
        { id: 'members-ref', path: '/groups/**', method: 'POST', status: 503, count: 1 },
        { id: 'never', path: '/groups/*', method: 'POST', status: 429 },
        { id: 'idle', path: '/domains', status: 504 },
      ],
      onFaultWarning: (m) => warnings.push(m),
    });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('warns at load about the rule that can never match, naming it and the `**` form', () => {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('never (POST /groups/*) matches no route');
    expect(warnings[0]).toContain('use /groups/**');
  });

  it('a `**` rule fires on POST /groups/{id}/members/$ref; GET /_admin/faults shows per-rule counts; unmatchedRules() names the rest', async () => {
    const tenant = graph.admin.tenant();
    const group = tenant.groups.find((g) => g.securityEnabled && !g.mailEnabled && !g.isAssignableToRole) ?? tenant.groups[0];
    const user = tenant.users.find((u) => !group?.members.includes(u.id));
    const res = await fetch(`${graph.url}/v1.0/groups/${group?.id}/members/$ref`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ '@odata.id': `${graph.url}/v1.0/directoryObjects/${user?.id}` }),
    });
    expect(res.status).toBe(503);
    const listed = (await (await fetch(`${graph.url}/_admin/faults`)).json()) as { rules: Array<{ id: string; matched: number; fired: number; warning?: string }> };
    expect(listed.rules.map((r) => [r.id, r.matched, r.fired])).toEqual([
      ['members-ref', 1, 1],
      ['never', 0, 0],
      ['idle', 0, 0],
    ]);
    expect(listed.rules[1]?.warning).toContain('use /groups/**');
    expect(graph.unmatchedRules().map((u) => u.rule.id)).toEqual(['never', 'idle']);
    expect(graph.unmatchedRules()[1]?.message).toBe('Graph fault rule idle (/domains) matched no call.');
    // The real route table: the hint names the membership writes first.
    expect(graph.unmatchedRules()[0]?.message).toMatch(/^Graph fault rule never \(POST \/groups\/\*\) matches no route of the Graph stand-in: \/groups\/\* matches .*\/groups\/\{group\} only; POST calls below it go to e\.g\. \/groups\/\{group\}\/members\/\$ref.*: use \/groups\/\*\*\.$/);
  });
});
