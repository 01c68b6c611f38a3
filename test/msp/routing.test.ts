import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSystem, type LocalSystem } from '../../local/system.js';

/**
 * msp mode end to end (issue 13 item 4; docs/msp-mode.md): each customer's webhook URL reaches only that customer's
 * tenant. The Graph stand-in records the tenant (`tid`) of the token behind every call, so "a request for Contoso
 * never presents a token for Fabrikam" is read from its request log rather than assumed.
 */
let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem({ mode: 'msp', timeScale: 0.01 });
}, 180_000);
afterAll(async () => sys?.stop());

function passwordReset(userEmail: string, ticketId: number): string {
  return JSON.stringify({
    intent_name: 'Password Reset',
    intent_fields: { 'User Email': userEmail },
    meta_data: { ticket_id: ticketId, contact_name: 'Megan Bowen', contact_email: 'megan.bowen@contoso.com', company_name: 'Contoso' },
  });
}

async function post(url: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function customers() {
  const msp = sys.msp;
  if (!msp) throw new Error('startLocalSystem({mode: "msp"}) returned no msp handle');
  return msp.customers;
}

/** Graph calls logged since `from` (the log's sequence number), as "METHOD path tenant". */
function graphCallsSince(from: number): Array<{ method: string; path: string; tenant: string | undefined; status: number }> {
  return sys.graph.admin
    .requests()
    .filter((r) => r.seq > from)
    .map((r) => ({ method: r.method, path: r.path, tenant: r.tenant, status: r.status }));
}

function lastSeq(): number {
  return Math.max(0, ...sys.graph.admin.requests().map((r) => r.seq));
}

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

describe('a customer URL acts in that customer tenant only', () => {
  it("Contoso's URL resets a Contoso password and every Graph call presents a Contoso token", async () => {
    const { contoso, fabrikam } = customers();
    const from = lastSeq();
    const answer = await post(contoso.webhook, passwordReset('adele.vance@contoso.com', 9101));
    expect(answer.body.status, JSON.stringify(answer.body)).toBe('success');
    const calls = graphCallsSince(from);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(true);
    expect(calls.map((c) => c.tenant).filter((t) => t !== contoso.tenantId)).toEqual([]);
    expect(calls.some((c) => c.tenant === fabrikam.tenantId)).toBe(false);
  }, 120_000);

  it("Fabrikam's URL acts in Fabrikam's tenant, never Contoso's (the same names exist in both)", async () => {
    const { contoso, fabrikam } = customers();
    const from = lastSeq();
    const answer = await post(fabrikam.webhook, passwordReset('adele.vance@fabrikam.com', 9102));
    expect(answer.body.status, JSON.stringify(answer.body)).toBe('success');
    const calls = graphCallsSince(from);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.tenant === contoso.tenantId)).toEqual([]);
    expect(calls.every((c) => c.tenant === fabrikam.tenantId)).toBe(true);
  }, 120_000);
});

describe('misrouted or unauthorised requests change nothing', () => {
  it('a Fabrikam address in a Contoso ticket is refused with address_outside_tenant and no Graph call', async () => {
    const { contoso } = customers();
    const from = lastSeq();
    const answer = await post(contoso.webhook, passwordReset('adele.vance@fabrikam.com', 9103));
    expect(answer.body.status).toBe('failed');
    expect((answer.body.error as { code?: string } | undefined)?.code, JSON.stringify(answer.body)).toBe('address_outside_tenant');
    expect(String((answer.body.error as { message?: string }).message)).toContain('Nothing was changed');
    expect(graphCallsSince(from).filter((c) => WRITES.has(c.method))).toEqual([]);
    expect(graphCallsSince(from)).toEqual([]);
  }, 120_000);

  it('a wrong customerKey is refused with 403 bad_customer_key and nothing runs', async () => {
    const { contoso } = customers();
    const url = new URL(contoso.webhook);
    url.searchParams.set('customerKey', 'not-the-key');
    const from = lastSeq();
    const answer = await post(url.toString(), passwordReset('adele.vance@contoso.com', 9104));
    expect(answer.status).toBe(403);
    expect((answer.body.error as { code?: string } | undefined)?.code).toBe('bad_customer_key');
    expect(JSON.stringify(answer.body)).not.toContain('not-the-key');
    expect(graphCallsSince(from)).toEqual([]);
  }, 120_000);

  it('the URL without customer parameters (a customer-mode URL) is refused with 403 and says how to fix it', async () => {
    const url = new URL(customers().contoso.webhook);
    url.searchParams.delete('customer');
    url.searchParams.delete('customerKey');
    const answer = await post(url.toString(), passwordReset('adele.vance@contoso.com', 9105));
    expect(answer.status).toBe(403);
    expect((answer.body.error as { fix?: string }).fix).toContain('customerKey');
  }, 120_000);

  it('removing a customer stops its URL from the next request on; adding it back restores it', async () => {
    const { contoso } = customers();
    await sys.msp?.setCustomerStatus('contoso', 'removed');
    try {
      const from = lastSeq();
      const answer = await post(contoso.webhook, passwordReset('adele.vance@contoso.com', 9106));
      expect(answer.status).toBe(403);
      expect((answer.body.error as { code?: string } | undefined)?.code).toBe('customer_removed');
      expect(graphCallsSince(from)).toEqual([]);
    } finally {
      await sys.msp?.setCustomerStatus('contoso', 'active');
    }
  }, 120_000);
});
