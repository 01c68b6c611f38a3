import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintLocalToken } from '../../../local/standins/identity/token.js';
import { startOutlookStandIn, type OutlookStandIn, type SentMail } from '../../../local/standins/outlook/index.js';

let outlook: OutlookStandIn;

function send(body: unknown, auth: string | null = `Key ${outlook.connectionKey}`): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = auth;
  return fetch(`${outlook.connectionRuntimeUrl}/v2/Mail`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function outbox(): Promise<SentMail[]> {
  return ((await (await fetch(`${outlook.url}/_admin/outbox`)).json()) as { value: SentMail[] }).value;
}

const valid = { To: 'helpdesk@contoso.com; lee.gu@contoso.com', Subject: 'Intent failed', Body: '<p>Details</p>' };

beforeAll(async () => {
  outlook = await startOutlookStandIn();
});
afterAll(async () => {
  await outlook.stop();
});
beforeEach(async () => {
  await fetch(`${outlook.url}/_admin/outbox`, { method: 'DELETE' });
  await fetch(`${outlook.url}/_admin/faults`, { method: 'DELETE' });
});

describe('Send an email (V2)', () => {
  it('accepts a valid mail with the connection key and puts it in the outbox', async () => {
    const res = await send({ ...valid, Cc: 'megan.bowen@contoso.com', Importance: 'high' });
    expect(res.status).toBe(200);
    const [mail, ...rest] = await outbox();
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({ to: ['helpdesk@contoso.com', 'lee.gu@contoso.com'], cc: ['megan.bowen@contoso.com'], bcc: [], subject: 'Intent failed', body: '<p>Details</p>', importance: 'High' });
    expect(outlook.outbox()).toHaveLength(1);
  });

  it('accepts a bearer token for the API hub audience and refuses other credentials', async () => {
    expect((await send(valid, `Bearer ${mintLocalToken({ aud: 'https://apihub.azure.com', oid: 'logic-app' })}`)).status).toBe(200);
    for (const auth of [null, 'Key wrong', `Bearer ${mintLocalToken({ aud: 'https://graph.microsoft.com', oid: 'x' })}`]) {
      const res = await send(valid, auth);
      expect(res.status).toBe(401);
    }
    expect(await outbox()).toHaveLength(1);
  });

  it('validates required fields, addresses and Importance with the connector error shape', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ Subject: 's', Body: 'b' }, /'To' parameter is required/],
      [{ To: 'a@contoso.com', Body: 'b' }, /'Subject' parameter is required/],
      [{ To: 'a@contoso.com', Subject: 's' }, /'Body' parameter is required/],
      [{ ...valid, To: 'a@contoso.com;not-an-address' }, /'not-an-address' in 'To' is not a valid email address/],
      [{ ...valid, Bcc: 'x@' }, /'x@' in 'Bcc'/],
      [{ ...valid, Importance: 'Urgent' }, /Low, Normal, High/],
    ];
    for (const [body, pattern] of cases) {
      const res = await send(body);
      expect(res.status).toBe(400);
      const err = (await res.json()) as { status: number; message: string; error: { message: string }; source: string };
      expect(err.status).toBe(400);
      expect(err.error.message).toMatch(pattern);
      expect(err.message).toContain('clientRequestId:');
    }
    expect(await outbox()).toEqual([]);
  });
});

describe('fault injection', () => {
  it('fails the next N sends with the queued status, then recovers', async () => {
    const queued = await fetch(`${outlook.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ status: 429, count: 2, retryAfterSeconds: 1 }) });
    expect(queued.status).toBe(200);
    const first = await send(valid);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect((await send(valid)).status).toBe(429);
    expect((await send(valid)).status).toBe(200);
    expect(await outbox()).toHaveLength(1);
  });

  it('rejects malformed fault requests', async () => {
    expect((await fetch(`${outlook.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ status: 200 }) })).status).toBe(400);
  });
});
