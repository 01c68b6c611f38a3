import { errors, GraphError } from '../errors.js';
import { contextUrl, ok, type GraphCall, type GraphResult } from '../http-types.js';
import type { Route } from '../router.js';
import type { UserRecord } from '../tenant/state.js';
import { userByKey } from './resolve.js';
import { requireObjectBody } from './validation.js';

/**
 * Exchange-backed user endpoints: mailboxSettings (automatic replies) and sendMail
 * (https://learn.microsoft.com/graph/api/user-update-mailboxsettings, https://learn.microsoft.com/graph/api/user-sendmail). Users without an Exchange Online mailbox get MailboxNotEnabledForRESTAPI.
 */

function mailboxOf(user: UserRecord): NonNullable<UserRecord['mailbox']> {
  if (!user.mailbox || user.userType === 'Guest') throw errors.mailboxNotEnabled();
  return user.mailbox;
}

function repliesView(user: UserRecord): Record<string, unknown> {
  const mbx = mailboxOf(user);
  const r = mbx.automaticRepliesSetting;
  const farFuture = { dateTime: '2030-01-01T00:00:00.0000000', timeZone: 'UTC' };
  return {
    status: r?.status ?? 'disabled',
    externalAudience: r?.externalAudience ?? 'all',
    internalReplyMessage: r?.internalReplyMessage ?? '',
    externalReplyMessage: r?.externalReplyMessage ?? '',
    scheduledStartDateTime: r?.scheduledStartDateTime ?? farFuture,
    scheduledEndDateTime: r?.scheduledEndDateTime ?? farFuture,
  };
}

function settingsView(call: GraphCall, user: UserRecord): Record<string, unknown> {
  const mbx = mailboxOf(user);
  return {
    '@odata.context': contextUrl(call.version, `users('${user.id}')/mailboxSettings`),
    archiveFolder: null,
    timeZone: mbx.timeZone,
    automaticRepliesSetting: repliesView(user),
    language: { locale: 'en-US', displayName: 'English (United States)' },
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: mbx.type === 'shared' ? 'shared' : mbx.type,
  };
}

/** Case-insensitive enum read: Graph accepts "Scheduled" and answers "scheduled". */
function enumValue<T extends string>(value: unknown, allowed: readonly T[], typeName: string): T {
  const match = typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  if (!match) throw new GraphError(400, 'RequestBodyRead', `Requested value '${String(value)}' was not found.`, { innerError: { type: typeName } });
  return match;
}

function dateTimeTimeZone(value: unknown, prop: string): { dateTime: string; timeZone: string } {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.dateTime !== 'string' || Number.isNaN(Date.parse(v.dateTime.endsWith('Z') ? v.dateTime : `${v.dateTime}Z`))) {
    throw new GraphError(400, 'RequestBodyRead', `Cannot convert the literal '${String(v.dateTime)}' to the expected type 'Edm.String' for property '${prop}'.`);
  }
  if (typeof v.timeZone !== 'string' || v.timeZone.trim() === '') throw new GraphError(400, 'InvalidTimeZone', 'Time Zone settings provided are invalid.');
  return { dateTime: v.dateTime, timeZone: v.timeZone };
}

function patchSettings(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  const mbx = mailboxOf(user);
  const body = requireObjectBody(call.body);
  const current = repliesView(user);
  if (body.automaticRepliesSetting !== undefined) {
    const r = requireObjectBody(body.automaticRepliesSetting);
    const next = {
      status: r.status === undefined ? (current.status as 'disabled') : enumValue(r.status, ['disabled', 'alwaysEnabled', 'scheduled'] as const, 'microsoft.graph.automaticRepliesStatus'),
      externalAudience:
        r.externalAudience === undefined ? (current.externalAudience as 'all') : enumValue(r.externalAudience, ['none', 'contactsOnly', 'all'] as const, 'microsoft.graph.externalAudienceScope'),
      internalReplyMessage: typeof r.internalReplyMessage === 'string' ? r.internalReplyMessage : (current.internalReplyMessage as string),
      externalReplyMessage: typeof r.externalReplyMessage === 'string' ? r.externalReplyMessage : (current.externalReplyMessage as string),
      scheduledStartDateTime: r.scheduledStartDateTime === undefined ? mbx.automaticRepliesSetting?.scheduledStartDateTime : dateTimeTimeZone(r.scheduledStartDateTime, 'scheduledStartDateTime'),
      scheduledEndDateTime: r.scheduledEndDateTime === undefined ? mbx.automaticRepliesSetting?.scheduledEndDateTime : dateTimeTimeZone(r.scheduledEndDateTime, 'scheduledEndDateTime'),
    };
    if (next.status === 'scheduled' && next.scheduledStartDateTime && next.scheduledEndDateTime) {
      if (Date.parse(`${next.scheduledStartDateTime.dateTime}Z`) >= Date.parse(`${next.scheduledEndDateTime.dateTime}Z`)) {
        throw new GraphError(400, 'ErrorInvalidTimeSettings', 'Start Time should occur before End Time.');
      }
    }
    mbx.automaticRepliesSetting = next;
  }
  if (body.timeZone !== undefined) {
    if (typeof body.timeZone !== 'string' || body.timeZone.trim() === '') throw new GraphError(400, 'InvalidTimeZone', 'Time Zone settings provided are invalid.');
    mbx.timeZone = body.timeZone;
  }
  // 200 with the settings, not 204 (user-update-mailboxsettings.md).
  return ok(settingsView(call, user));
}

function getAutomaticReplies(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  return ok({ '@odata.context': contextUrl(call.version, `users('${user.id}')/mailboxSettings/automaticRepliesSetting`), ...repliesView(user) });
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkRecipients(list: unknown, prop: string): number {
  if (list === undefined) return 0;
  if (!Array.isArray(list)) throw new GraphError(400, 'RequestBodyRead', `Invalid value for property '${prop}': an array of recipients is expected.`);
  for (const r of list) {
    const address = (r as { emailAddress?: { address?: unknown } })?.emailAddress?.address;
    if (typeof address !== 'string' || !ADDRESS.test(address)) {
      throw new GraphError(400, 'ErrorInvalidRecipients', `At least one recipient is not valid., Recipient '${String(address)}' is not resolved. All recipients must be resolved before a message can be submitted.`);
    }
  }
  return list.length;
}

/** The MIME form: Content-Type text/plain with the base64 of an RFC 822 message (user-sendmail.md). */
function sendMime(call: GraphCall, user: UserRecord, text: string): GraphResult {
  const compact = text.replace(/\s+/g, '');
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length % 4 === 0 ? Buffer.from(compact, 'base64').toString('utf8') : '';
  if (!/^[A-Za-z-]+:\s/m.test(decoded)) throw new GraphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
  mailboxOf(user);
  const subject = /^Subject:\s*(.*)$/im.exec(decoded)?.[1] ?? '';
  call.state.sentMail.push({
    seq: call.state.sentMail.length + 1,
    from: user.userPrincipalName,
    message: { subject, mime: decoded },
    saveToSentItems: true,
    sentDateTime: new Date().toISOString(),
  });
  return { status: 202 };
}

function sendMail(call: GraphCall, key: string): GraphResult {
  const user = userByKey(call, key);
  if (typeof call.body === 'string') return sendMime(call, user, call.body);
  const body = requireObjectBody(call.body);
  const message = body.message;
  if (!message || typeof message !== 'object' || Array.isArray(message)) {
    throw new GraphError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
  }
  // A string "false" is a JSON string, not an Edm.Boolean (Graph refuses it with RequestBodyRead).
  if (body.saveToSentItems !== undefined && typeof body.saveToSentItems !== 'boolean') {
    throw errors.bodyRead(`Cannot convert the literal '${String(body.saveToSentItems)}' to the expected type 'Edm.Boolean'.`);
  }
  const m = message as Record<string, unknown>;
  const recipients = checkRecipients(m.toRecipients, 'toRecipients') + checkRecipients(m.ccRecipients, 'ccRecipients') + checkRecipients(m.bccRecipients, 'bccRecipients');
  if (recipients === 0) throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is required, but none were found.');
  if (m.body !== undefined) {
    const b = m.body as Record<string, unknown>;
    if (!b || typeof b !== 'object') throw new GraphError(400, 'RequestBodyRead', "Invalid value for property 'body'.");
    if (b.contentType !== undefined) enumValue(b.contentType, ['text', 'html'] as const, 'microsoft.graph.bodyType');
  }
  mailboxOf(user);
  call.state.sentMail.push({
    seq: call.state.sentMail.length + 1,
    from: user.userPrincipalName,
    message: structuredClone(m),
    saveToSentItems: body.saveToSentItems === undefined ? true : (body.saveToSentItems as boolean),
    sentDateTime: new Date().toISOString(),
  });
  return { status: 202 };
}

export const mailRoutes: Route[] = [
  { method: 'GET', pattern: 'users/{user}/mailboxSettings', handler: (c, p) => ok(settingsView(c, userByKey(c, p.user as string))) },
  { method: 'PATCH', pattern: 'users/{user}/mailboxSettings', handler: (c, p) => patchSettings(c, p.user as string) },
  { method: 'GET', pattern: 'users/{user}/mailboxSettings/automaticRepliesSetting', handler: (c, p) => getAutomaticReplies(c, p.user as string) },
  { method: 'POST', pattern: 'users/{user}/sendMail', handler: (c, p) => sendMail(c, p.user as string) },
];
