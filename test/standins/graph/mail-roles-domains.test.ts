import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultTenantFixture, startGraphStandIn, type GraphStandIn } from '../../../local/standins/graph/index.js';
import { graphClient, graphFailure, rawGraph } from './helpers.js';

let g: GraphStandIn;
let client: ReturnType<typeof graphClient>;
beforeAll(async () => {
  g = await startGraphStandIn();
  client = graphClient(g.url);
});
afterAll(async () => g.stop());
beforeEach(() => g.admin.loadTenant(defaultTenantFixture()));

const message = {
  subject: 'Ticket 42 failed',
  body: { contentType: 'HTML', content: '<p>details</p>' },
  toRecipients: [{ emailAddress: { address: 'ops@contoso.com' } }],
};

describe('sendMail', () => {
  it('accepts a valid message with 202 and an empty body, into the outbox', async () => {
    const r = await rawGraph(g.url, '/v1.0/users/support@contoso.com/sendMail', { method: 'POST', body: JSON.stringify({ message, saveToSentItems: false }) });
    expect(r.status).toBe(202);
    expect(await r.text()).toBe('');
    expect(g.admin.sentMail()).toMatchObject([{ from: 'support@contoso.com', saveToSentItems: false, message: { subject: 'Ticket 42 failed' } }]);
  });

  it('refuses saveToSentItems as a string', async () => {
    const f = await graphFailure(client.api('/users/support@contoso.com/sendMail').post({ message, saveToSentItems: 'false' }));
    expect([f.statusCode, f.code, f.message]).toEqual([400, 'RequestBodyRead', "Cannot convert the literal 'false' to the expected type 'Edm.Boolean'."]);
  });

  it('refuses messages without recipients or with a bad address, and senders without a mailbox', async () => {
    expect((await graphFailure(client.api('/users/support@contoso.com/sendMail').post({ message: { ...message, toRecipients: [] } }))).code).toBe('ErrorInvalidRecipients');
    expect(
      (await graphFailure(client.api('/users/support@contoso.com/sendMail').post({ message: { ...message, toRecipients: [{ emailAddress: { address: 'not-an-address' } }] } }))).code,
    ).toBe('ErrorInvalidRecipients');
    const noMailbox = await graphFailure(client.api('/users/lee.gu@contoso.com/sendMail').post({ message }));
    expect([noMailbox.code, noMailbox.message]).toEqual(['MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.']);
  });
});

describe('sendMail MIME form', () => {
  it('accepts base64 MIME as text/plain and refuses invalid base64', async () => {
    const mime = Buffer.from('From: support@contoso.com\r\nTo: ops@contoso.com\r\nSubject: MIME test\r\n\r\nHello').toString('base64');
    const ok = await rawGraph(g.url, '/v1.0/users/support@contoso.com/sendMail', { method: 'POST', body: mime, headers: { 'Content-Type': 'text/plain' } });
    expect(ok.status).toBe(202);
    expect(g.admin.sentMail().at(-1)?.message).toMatchObject({ subject: 'MIME test' });
    const bad = await rawGraph(g.url, '/v1.0/users/support@contoso.com/sendMail', { method: 'POST', body: 'not base64 !!', headers: { 'Content-Type': 'text/plain' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'ErrorMimeContentInvalidBase64String',
      message: 'Invalid base64 string for MIME content.',
    });
  });
});

describe('mailboxSettings', () => {
  it('PATCHes automatic replies: 200 with the settings, enums normalised', async () => {
    const r = await client.api('/users/adele.vance@contoso.com/mailboxSettings').patch({
      automaticRepliesSetting: {
        status: 'Scheduled',
        externalAudience: 'all',
        scheduledStartDateTime: { dateTime: '2026-03-20T18:00:00.0000000', timeZone: 'UTC' },
        scheduledEndDateTime: { dateTime: '2026-03-28T18:00:00.0000000', timeZone: 'UTC' },
        internalReplyMessage: '<p>Away</p>',
        externalReplyMessage: '<p>Away</p>',
      },
    });
    expect(r['@odata.context']).toContain("users('");
    expect(r.automaticRepliesSetting.status).toBe('scheduled');
    const get = await client.api('/users/adele.vance@contoso.com/mailboxSettings/automaticRepliesSetting').get();
    expect(get.internalReplyMessage).toBe('<p>Away</p>');
  });

  it('refuses an end before the start, and users without a mailbox', async () => {
    const f = await graphFailure(
      client.api('/users/adele.vance@contoso.com/mailboxSettings').patch({
        automaticRepliesSetting: {
          status: 'scheduled',
          scheduledStartDateTime: { dateTime: '2026-03-28T18:00:00', timeZone: 'UTC' },
          scheduledEndDateTime: { dateTime: '2026-03-20T18:00:00', timeZone: 'UTC' },
        },
      }),
    );
    expect([f.code, f.message]).toEqual(['ErrorInvalidTimeSettings', 'Start Time should occur before End Time.']);
    expect((await graphFailure(client.api('/users/john.doe_fabrikam.com%23EXT%23@contoso.onmicrosoft.com/mailboxSettings').get())).code).toBe('MailboxNotEnabledForRESTAPI');
  });
});

describe('directory roles and domains', () => {
  it('lists role assignments by principalId with the role definition', async () => {
    const megan = await client.api('/users/megan.bowen@contoso.com').get();
    const r = await client.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${megan.id}'`).expand('roleDefinition').get();
    expect(r.value).toHaveLength(1);
    expect(r.value[0]).toMatchObject({ principalId: megan.id, roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/' });
    expect(r.value[0].roleDefinition.displayName).toBe('Global Administrator');
    const adele = await client.api('/users/adele.vance@contoso.com').get();
    expect((await client.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${adele.id}'`).get()).value).toEqual([]);
  });

  it('lists activated directory roles and their members', async () => {
    const roles = await client.api('/directoryRoles').get();
    const helpdesk = roles.value.find((r: { displayName: string }) => r.displayName === 'Helpdesk Administrator');
    expect(helpdesk.roleTemplateId).toBe('729827e3-9c14-49f7-bb1b-9608f156bbb8');
    const members = await client.api(`/directoryRoles/${helpdesk.id}/members`).get();
    expect(members.value.map((m: { userPrincipalName: string }) => m.userPrincipalName)).toEqual(['isaiah.langer@contoso.com']);
    const byTemplate = await client.api(`/directoryRoles/${helpdesk.roleTemplateId}/members`).get();
    expect(byTemplate.value).toHaveLength(1);
  });

  it('lists verified and unverified domains', async () => {
    const r = await client.api('/domains').get();
    expect(r.value.map((d: { id: string; isVerified: boolean }) => [d.id, d.isVerified])).toEqual([
      ['contoso.com', true],
      ['contoso.onmicrosoft.com', true],
      ['contoso-labs.com', false],
    ]);
  });
});
