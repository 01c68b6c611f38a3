import { describe, expect, it } from 'vitest';
import { escapeHtml, safeHref } from '../../../lib/inline/html.js';

describe('escapeHtml', () => {
  it('escapes every HTML-significant character', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });
  it('renders null and undefined as empty text and numbers as text', () => {
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('safeHref', () => {
  it('accepts http(s) URLs only', () => {
    expect(safeHref('https://portal.azure.com/#resource/x')).toBe('https://portal.azure.com/#resource/x');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('https://x.test/"onmouseover=1')).toBeUndefined();
  });
});
