/**
 * ConvertTo-ReplyText of runbooks/Set-MailboxOffboarding.ps1: Exchange stores a plain-text automatic reply
 * as HTML (<html><body>text</body></html>, Learn: Set-MailboxAutoReplyConfiguration -InternalMessage),
 * so replies are compared by their text: line breaks and paragraph ends as spaces, tags removed, entities
 * decoded (as System.Net.WebUtility.HtmlDecode), whitespace collapsed.
 */
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function htmlDecode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code = entity[1]?.toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[entity] ?? whole;
  });
}

export function replyText(message: string | null | undefined): string {
  let text = (message ?? '').replace(/<br\s*\/?>|<\/p>/gi, ' ');
  text = text.replace(/<[^>]+>/g, '');
  return htmlDecode(text).replace(/\s+/g, ' ').trim();
}
