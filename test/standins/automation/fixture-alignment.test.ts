import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExchangeState } from '../../../local/standins/automation/exchange-state.js';

/**
 * The Exchange fixture must describe the same tenant as the Graph stand-in's default tenant, or a
 * workflow that looks a user up in Graph and then runs a runbook would see two different worlds.
 */

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as unknown;
const exchange = parseExchangeState(read('../../../local/standins/automation/fixtures/default-exchange.json'));

interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mailNickname: string;
  mail?: string | null;
  mailbox?: { type: 'user' | 'shared' | 'room' } | null;
  proxyAddresses?: string[];
}
interface GraphGroup {
  displayName: string;
  mail?: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes?: string[];
  mailNickname?: string | null;
  members: string[];
}
const graph = read('../../../local/standins/graph/fixtures/default-tenant.json') as {
  domains: Array<{ id: string; isInitial: boolean; isVerified: boolean }>;
  users: GraphUser[];
  groups: GraphGroup[];
};

const TYPE = { user: 'UserMailbox', shared: 'SharedMailbox', room: 'RoomMailbox' } as const;

describe('default Exchange fixture vs the Graph default tenant', () => {
  it('uses the tenant initial domain as the organization', () => {
    expect(exchange.Organization).toBe(graph.domains.find((d) => d.isInitial)?.id);
  });

  it('has exactly one mailbox per Graph user with a mailbox, with the same names, addresses and type', () => {
    const expected = graph.users
      .filter((u) => u.mailbox)
      .map((u) => ({
        UserPrincipalName: u.userPrincipalName,
        PrimarySmtpAddress: u.mail ?? u.userPrincipalName,
        DisplayName: u.displayName,
        Alias: u.mailNickname,
        RecipientTypeDetails: TYPE[u.mailbox!.type],
        EmailAddresses: (u.proxyAddresses ?? [`SMTP:${u.mail ?? u.userPrincipalName}`]).map((p) => p.toLowerCase()),
      }));
    const actual = exchange.Mailboxes.map((m) => ({
      UserPrincipalName: m.UserPrincipalName,
      PrimarySmtpAddress: m.PrimarySmtpAddress,
      DisplayName: m.DisplayName,
      Alias: m.Alias,
      RecipientTypeDetails: m.RecipientTypeDetails,
      EmailAddresses: m.EmailAddresses.map((p) => p.toLowerCase()),
    }));
    expect(actual).toEqual(expected);
  });

  it('has the mail-enabled non-Microsoft 365 groups as distribution groups with the same mailbox members', () => {
    const byId = new Map(graph.users.map((u) => [u.id, u]));
    const expected = graph.groups
      .filter((g) => g.mailEnabled && !(g.groupTypes ?? []).includes('Unified'))
      .map((g) => ({
        PrimarySmtpAddress: g.mail,
        DisplayName: g.displayName,
        RecipientTypeDetails: g.securityEnabled ? 'MailUniversalSecurityGroup' : 'MailUniversalDistributionGroup',
        Members: g.members.flatMap((id) => {
          const u = byId.get(id);
          return u?.mailbox ? [u.mail ?? u.userPrincipalName] : [];
        }),
      }));
    const actual = exchange.DistributionGroups.map((g) => ({ PrimarySmtpAddress: g.PrimarySmtpAddress, DisplayName: g.DisplayName, RecipientTypeDetails: g.RecipientTypeDetails, Members: g.Members }));
    expect(actual).toEqual(expected);
    expect(actual.map((g) => g.PrimarySmtpAddress)).toEqual(expect.arrayContaining(['all-staff@contoso.com', 'finance-mesg@contoso.com']));
  });
});
