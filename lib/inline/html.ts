/** Escapes text for HTML element content and quoted attribute values (& < > " ' and backtick). */
export function escapeHtml(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text.replace(/[&<>"'`]/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&#39;';
      default:
        return '&#96;';
    }
  });
}

/** Only http(s) URLs may become links; anything else (javascript:, data:) is rendered as text. */
export function safeHref(url: string): string | undefined {
  return /^https?:\/\/[^\s"'<>`]+$/i.test(url) ? url : undefined;
}
