import { ExpressionError } from '../errors.js';
import type { XDeclaration, XDocType, XDocument, XElement, XNode } from './dom.js';

/**
 * A small non-validating XML 1.0 parser with the checks .NET's XmlDocument.LoadXml makes that
 * workflows can hit: one root element, no stray text, declared namespace prefixes, version 1.0,
 * declaration attributes in order. Whitespace-only text is dropped (PreserveWhitespace = false).
 */
function fail(reason: string): ExpressionError {
  return new ExpressionError(`The provided XML is not valid: ${reason}.`);
}

const NAME = /[A-Za-z_:][A-Za-z0-9_:.\-\u00b7\u00c0-\uffff]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (m, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const e = ENTITIES[body];
    if (e === undefined) throw fail(`reference to undeclared entity '${m}'`);
    return e;
  });
}

class XmlReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] as string)) this.pos++;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (!m) throw fail(`a name was expected at position ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  private until(end: string, what: string): string {
    const at = this.text.indexOf(end, this.pos);
    if (at < 0) throw fail(`the ${what} is not closed`);
    const body = this.text.slice(this.pos, at);
    this.pos = at + end.length;
    return body;
  }

  private quoted(): string {
    const q = this.text[this.pos];
    if (q !== '"' && q !== "'") throw fail(`a quoted value was expected at position ${this.pos}`);
    this.pos++;
    return this.until(q, 'attribute value');
  }

  private attributes(): Array<[string, string]> {
    const attrs: Array<[string, string]> = [];
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '>' || c === '/' || c === '?' || c === undefined) return attrs;
      if (this.pos === before) throw fail(`whitespace is required between attributes at position ${this.pos}`);
      const name = this.name();
      this.skipSpace();
      if (this.text[this.pos] !== '=') throw fail(`'=' was expected after attribute '${name}'`);
      this.pos++;
      this.skipSpace();
      const raw = this.quoted();
      if (raw.includes('<')) throw fail(`'<' is not allowed in the value of attribute '${name}'`);
      if (attrs.some(([n]) => n === name)) throw fail(`attribute '${name}' is repeated`);
      attrs.push([name, decodeEntities(raw)]);
    }
  }

  private declaration(): XDeclaration {
    this.pos += 5;
    const attrs = this.attributes();
    this.skipSpace();
    if (!this.startsWith('?>')) throw fail('the XML declaration is not closed');
    this.pos += 2;
    const names = attrs.map(([n]) => n);
    const order = ['version', 'encoding', 'standalone'];
    if (names[0] !== 'version' || names.some((n, i) => i > 0 && order.indexOf(n) <= order.indexOf(names[i - 1] ?? ''))) {
      throw fail("the XML declaration must list 'version', then optionally 'encoding' and 'standalone', in that order");
    }
    const get = (n: string) => attrs.find(([k]) => k === n)?.[1];
    const version = get('version') ?? '';
    if (version !== '1.0') throw fail(`version '${version}' is not supported; only XML 1.0 is`);
    const decl: XDeclaration = { version };
    const encoding = get('encoding');
    const standalone = get('standalone');
    if (encoding !== undefined) decl.encoding = encoding;
    if (standalone !== undefined) {
      if (standalone !== 'yes' && standalone !== 'no') throw fail(`standalone must be 'yes' or 'no'`);
      decl.standalone = standalone;
    }
    return decl;
  }

  private doctype(): XDocType {
    this.pos += 9;
    this.skipSpace();
    const doctype: XDocType = { name: this.name() };
    this.skipSpace();
    if (this.startsWith('PUBLIC')) {
      this.pos += 6;
      this.skipSpace();
      doctype.publicId = this.quoted();
      this.skipSpace();
      doctype.systemId = this.quoted();
    } else if (this.startsWith('SYSTEM')) {
      this.pos += 6;
      this.skipSpace();
      doctype.systemId = this.quoted();
    }
    this.skipSpace();
    if (this.text[this.pos] === '[') {
      this.pos++;
      const subset = this.until(']', 'DOCTYPE internal subset');
      // The reader turns a lone CR into LF (observed on the host; CRLF pairs survive).
      if (subset.trim() !== '') doctype.internalSubset = subset.replace(/\r(?!\n)/g, '\n');
      this.skipSpace();
    }
    if (this.text[this.pos] !== '>') throw fail('the DOCTYPE declaration is not closed');
    this.pos++;
    return doctype;
  }

  /** Comment, CDATA or processing instruction at the cursor, or undefined. */
  private misc(): XNode | undefined {
    if (this.startsWith('<!--')) {
      this.pos += 4;
      const text = this.until('-->', 'comment');
      if (text.includes('--')) throw fail("'--' is not allowed inside a comment");
      return { type: 'comment', text };
    }
    if (this.startsWith('<?')) {
      this.pos += 2;
      const target = this.name();
      if (target.toLowerCase() === 'xml') throw fail('the XML declaration is only allowed at the very start');
      const data = this.until('?>', 'processing instruction').replace(/^\s+/, '');
      return { type: 'pi', target, data };
    }
    return undefined;
  }

  private element(scopes: Set<string>): XElement {
    this.pos++;
    const name = this.name();
    const attributes = this.attributes();
    const declared = new Set(scopes);
    for (const [n] of attributes) if (n.startsWith('xmlns:')) declared.add(n.slice(6));
    const checkPrefix = (qname: string) => {
      const colon = qname.indexOf(':');
      if (colon < 0) return;
      const prefix = qname.slice(0, colon);
      if (prefix !== 'xml' && prefix !== 'xmlns' && !declared.has(prefix)) throw fail(`'${prefix}' is an undeclared prefix`);
    };
    checkPrefix(name);
    for (const [n] of attributes) checkPrefix(n);
    const el: XElement = { type: 'element', name, attributes, children: [], selfClosing: false };
    if (this.startsWith('/>')) {
      this.pos += 2;
      el.selfClosing = true;
      return el;
    }
    if (this.text[this.pos] !== '>') throw fail(`the start tag of '${name}' is not closed`);
    this.pos++;
    for (;;) {
      if (this.pos >= this.text.length) throw fail(`the element '${name}' is not closed`);
      if (this.startsWith('</')) {
        this.pos += 2;
        const end = this.name();
        if (end !== name) throw fail(`the end tag '${end}' does not match the start tag '${name}'`);
        this.skipSpace();
        if (this.text[this.pos] !== '>') throw fail(`the end tag of '${name}' is not closed`);
        this.pos++;
        return el;
      }
      if (this.startsWith('<![CDATA[')) {
        this.pos += 9;
        el.children.push({ type: 'cdata', text: this.until(']]>', 'CDATA section') });
        continue;
      }
      const misc = this.misc();
      if (misc) {
        el.children.push(misc);
        continue;
      }
      if (this.text[this.pos] === '<') {
        el.children.push(this.element(declared));
        continue;
      }
      const next = this.text.indexOf('<', this.pos);
      const raw = this.text.slice(this.pos, next < 0 ? this.text.length : next);
      this.pos += raw.length;
      if (raw.trim() !== '') el.children.push({ type: 'text', text: decodeEntities(raw) });
    }
  }

  document(): XDocument {
    const doc: XDocument = { children: [] };
    if (this.startsWith('<?xml') && /\s/.test(this.text[this.pos + 5] ?? '')) doc.declaration = this.declaration();
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) break;
      if (this.startsWith('<!DOCTYPE')) {
        if (doc.doctype || doc.children.some((c) => c.type === 'element')) throw fail('the DOCTYPE is misplaced');
        doc.doctype = this.doctype();
        continue;
      }
      const misc = this.misc();
      if (misc) {
        doc.children.push(misc);
        continue;
      }
      if (this.text[this.pos] === '<') {
        if (doc.children.some((c) => c.type === 'element')) throw fail('There are multiple root elements');
        doc.children.push(this.element(new Set()));
        continue;
      }
      throw fail(`Data at the root level is invalid (position ${this.pos})`);
    }
    if (!doc.children.some((c) => c.type === 'element')) throw fail('Root element is missing');
    return doc;
  }
}

export function parseXml(text: string): XDocument {
  return new XmlReader(text).document();
}
