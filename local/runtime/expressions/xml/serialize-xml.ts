import type { XDocument, XNode } from './dom.js';

/** Serialises like .NET XmlDocument.OuterXml: no indentation, `<a />` for empty elements. */

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

function node(n: XNode): string {
  switch (n.type) {
    case 'text':
      return escapeText(n.text);
    case 'cdata':
      return `<![CDATA[${n.text}]]>`;
    case 'comment':
      return `<!--${n.text}-->`;
    case 'pi':
      return `<?${n.target}${n.data ? ' ' + n.data : ''}?>`;
    case 'element': {
      const attrs = n.attributes.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
      if (n.children.length === 0 && n.selfClosing) return `<${n.name}${attrs} />`;
      return `<${n.name}${attrs}>${n.children.map(node).join('')}</${n.name}>`;
    }
  }
}

export function serializeXml(doc: XDocument): string {
  let out = '';
  const d = doc.declaration;
  if (d) {
    out += `<?xml version="${d.version}"`;
    if (d.encoding !== undefined) out += ` encoding="${d.encoding}"`;
    if (d.standalone !== undefined) out += ` standalone="${d.standalone}"`;
    out += '?>';
  }
  const t = doc.doctype;
  if (t) {
    out += `<!DOCTYPE ${t.name}`;
    if (t.publicId !== undefined) out += ` PUBLIC "${t.publicId}" "${t.systemId ?? ''}"`;
    else if (t.systemId !== undefined) out += ` SYSTEM "${t.systemId}"`;
    if (t.internalSubset !== undefined) out += `[${t.internalSubset}]`;
    out += '>';
  }
  return out + doc.children.map(node).join('');
}
