import { z } from 'zod';

/**
 * The Exchange Online state the Automation stand-in's runbook models act on, in the PascalCase property
 * names Get-Mailbox / Get-DistributionGroup return, so the fixture reads like EXO output.
 * docs/exchange-stand-in.md documents the fixture format.
 */

const smtp = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'not an SMTP address');

export const FullAccessEntrySchema = z.object({
  /** Trustee's primary SMTP address. */
  User: smtp,
  AutoMapping: z.boolean().default(true),
});

export const MailboxSchema = z.object({
  UserPrincipalName: smtp,
  PrimarySmtpAddress: smtp,
  DisplayName: z.string().min(1),
  Alias: z.string().min(1),
  RecipientTypeDetails: z.enum(['UserMailbox', 'SharedMailbox', 'RoomMailbox']),
  /** Proxy addresses as EXO lists them: "SMTP:primary@..." and "smtp:alias@...". */
  EmailAddresses: z.array(z.string().regex(/^smtp:[^@\s]+@[^@\s]+\.[^@\s]+$/i, 'not an smtp: proxy address')).default([]),
  HiddenFromAddressListsEnabled: z.boolean().default(false),
  /** As EXO shows it: "smtp:someone@example.com", or null. */
  ForwardingSmtpAddress: z.string().nullable().default(null),
  DeliverToMailboxAndForward: z.boolean().default(false),
  /** Primary SMTP addresses of the delegates (EXO stores recipients; the stand-in keys them by address). */
  GrantSendOnBehalfTo: z.array(smtp).default([]),
  FullAccess: z.array(FullAccessEntrySchema).default([]),
  /** Trustees holding SendAs (Get-RecipientPermission). */
  SendAs: z.array(smtp).default([]),
  /** Automatic replies (Get-/Set-MailboxAutoReplyConfiguration), with the cmdlet's defaults. */
  AutoReplyState: z.enum(['Disabled', 'Enabled', 'Scheduled']).default('Disabled'),
  InternalMessage: z.string().nullable().default(null),
  ExternalMessage: z.string().nullable().default(null),
  ExternalAudience: z.enum(['None', 'Known', 'All']).default('All'),
});

export const DistributionGroupSchema = z.object({
  PrimarySmtpAddress: smtp,
  DisplayName: z.string().min(1),
  Alias: z.string().min(1),
  RecipientTypeDetails: z.enum(['MailUniversalDistributionGroup', 'MailUniversalSecurityGroup']),
  /** Members' primary SMTP addresses. */
  Members: z.array(smtp).default([]),
});

export const ExchangeStateSchema = z.object({
  /** The tenant's initial domain, what Connect-ExchangeOnline -Organization takes. */
  Organization: z.string().regex(/^[a-z0-9-]+\.onmicrosoft\.com$/i),
  AcceptedDomains: z.array(z.string().min(1)).min(1),
  Mailboxes: z.array(MailboxSchema),
  DistributionGroups: z.array(DistributionGroupSchema).default([]),
});

export type FullAccessEntry = z.infer<typeof FullAccessEntrySchema>;
export type Mailbox = z.infer<typeof MailboxSchema>;
export type DistributionGroup = z.infer<typeof DistributionGroupSchema>;
export type ExchangeState = z.infer<typeof ExchangeStateSchema>;

export class ExchangeFixtureError extends Error {
  override readonly name = 'ExchangeFixtureError';
}

/** Validates a fixture (schema plus cross-references) and returns a private deep copy. */
export function parseExchangeState(input: unknown): ExchangeState {
  const parsed = ExchangeStateSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ExchangeFixtureError(`Invalid Exchange fixture at ${first?.path.join('.') || '(root)'}: ${first?.message ?? 'invalid'}`);
  }
  const state = structuredClone(parsed.data);
  const seen = new Set<string>();
  const claim = (address: string) => {
    const key = address.toLowerCase();
    if (seen.has(key)) throw new ExchangeFixtureError(`Invalid Exchange fixture: duplicate recipient address ${address}`);
    seen.add(key);
  };
  for (const m of state.Mailboxes) {
    // The primary address is always a proxy address too, as in EXO.
    const proxies = new Set([m.PrimarySmtpAddress, ...m.EmailAddresses.map((p) => p.slice(5))].map((a) => a.toLowerCase()));
    m.EmailAddresses = [`SMTP:${m.PrimarySmtpAddress}`, ...m.EmailAddresses.filter((p) => p.slice(5).toLowerCase() !== m.PrimarySmtpAddress.toLowerCase()).map((p) => `smtp:${p.slice(5)}`)];
    for (const a of proxies) claim(a);
  }
  for (const g of state.DistributionGroups) claim(g.PrimarySmtpAddress);
  const known = (a: string) => seen.has(a.toLowerCase());
  for (const m of state.Mailboxes) {
    for (const t of [...m.GrantSendOnBehalfTo, ...m.SendAs, ...m.FullAccess.map((f) => f.User)]) {
      if (!known(t)) throw new ExchangeFixtureError(`Invalid Exchange fixture: ${m.PrimarySmtpAddress} grants a permission to unknown recipient ${t}`);
    }
  }
  for (const g of state.DistributionGroups) {
    for (const member of g.Members) {
      if (!known(member)) throw new ExchangeFixtureError(`Invalid Exchange fixture: ${g.PrimarySmtpAddress} has unknown member ${member}`);
    }
  }
  return state;
}
