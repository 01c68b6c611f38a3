import { ExpressionError } from '../errors.js';
import { stringify, type Value, type ValueObject, isObject } from '../values.js';
import type { XDocument, XElement, XNode } from './dom.js';

/**
 * XML <-> JSON the way the host does it (Newtonsoft.Json's XmlNodeConverter):
 * attributes become "@name", text "#text", CDATA "#cdata-section", repeated names arrays.
 * Comments are written as JSON comments, which the host's reader drops: a lone comment
 * vanishes and a repeated one leaves an empty "#comment" array.
 */

const KNOWN_ENCODINGS = new Set(['utf-8', 'utf8', 'utf-16', 'utf-16le', 'utf-16be', 'unicode', 'ucs-2', 'ascii', 'us-ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'utf-32']);

function keyOf(n: XNode): string {
  switch (n.type) {
    case 'element':
      return n.name;
    case 'text':
      return '#text';
    case 'cdata':
      return '#cdata-section';
    case 'comment':
      return '#comment';
    case 'pi':
      return `?${n.target}`;
  }
}

function valueOf(n: XNode): Value {
  switch (n.type) {
    case 'element':
      return elementValue(n);
    case 'text':
    case 'cdata':
      return n.text;
    case 'comment':
      return null;
    case 'pi':
      return n.data;
  }
}

function groupChildren(nodes: XNode[], into: ValueObject): void {
  const groups = new Map<string, XNode[]>();
  for (const n of nodes) {
    const k = keyOf(n);
    const list = groups.get(k);
    if (list) list.push(n);
    else groups.set(k, [n]);
  }
  for (const [k, list] of groups) {
    if (k === '#comment') {
      if (list.length > 1) into[k] = [];
      continue;
    }
    into[k] = list.length === 1 ? valueOf(list[0] as XNode) : list.map(valueOf);
  }
}

function elementValue(el: XElement): Value {
  if (el.attributes.length === 0) {
    if (el.children.length === 0) return el.selfClosing ? null : '';
    const only = el.children[0];
    if (el.children.length === 1 && only?.type === 'text') return only.text;
  }
  const out: ValueObject = {};
  for (const [k, v] of el.attributes) out[`@${k}`] = v;
  groupChildren(el.children, out);
  return out;
}

export function xmlToJson(doc: XDocument): Value {
  const enc = doc.declaration?.encoding;
  if (enc !== undefined && !KNOWN_ENCODINGS.has(enc.toLowerCase())) {
    throw new ExpressionError(`'${enc}' is not a supported encoding name.`);
  }
  const out: ValueObject = {};
  const d = doc.declaration;
  if (d) {
    const decl: ValueObject = { '@version': d.version };
    if (d.encoding !== undefined) decl['@encoding'] = d.encoding;
    if (d.standalone !== undefined) decl['@standalone'] = d.standalone;
    out['?xml'] = decl;
  }
  const t = doc.doctype;
  if (t) {
    const dt: ValueObject = { '@name': t.name };
    if (t.publicId !== undefined) dt['@public'] = t.publicId;
    if (t.systemId !== undefined) dt['@system'] = t.systemId;
    if (t.internalSubset !== undefined) dt['@internalSubset'] = t.internalSubset;
    out['!DOCTYPE'] = dt;
  }
  groupChildren(doc.children, out);
  return out;
}

/** XmlConvert.EncodeName: characters not allowed in XML names become _xHHHH_. */
export function encodeXmlName(name: string): string {
  let out = '';
  [...name].forEach((ch, i) => {
    const ok = i === 0 ? /[A-Za-z_\u00c0-\uffff]/.test(ch) : /[A-Za-z0-9_.\-\u00b7\u00c0-\uffff]/.test(ch);
    if (ok && !(ch === '_' && /^_x[0-9a-fA-F]{4}_/.test(name.slice(i)))) out += ch;
    else out += `_x${ch.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}_`;
  });
  return out;
}

/** Element name for a JSON key: a prefix without a namespace is dropped, the rest encoded. */
function elementName(key: string): string {
  const colon = key.indexOf(':');
  return encodeXmlName(colon >= 0 ? key.slice(colon + 1) : key);
}

function scalarText(v: Value): string {
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return stringify(v);
}

function buildElement(name: string, v: Value): XElement {
  const el: XElement = { type: 'element', name: elementName(name), attributes: [], children: [], selfClosing: false };
  if (v === null) {
    el.selfClosing = true;
    return el;
  }
  if (!isObject(v)) {
    const text = scalarText(v);
    if (text !== '') el.children.push({ type: 'text', text });
    return el;
  }
  for (const [k, child] of Object.entries(v)) {
    if (k.startsWith('@')) el.attributes.push([k.slice(1), scalarText(child)]);
    else el.children.push(...buildNodes(k, child));
  }
  el.selfClosing = el.children.length === 0;
  return el;
}

function buildNodes(key: string, v: Value): XNode[] {
  const items = Array.isArray(v) ? v : [v];
  if (key === '#text') return items.map((x) => ({ type: 'text', text: scalarText(x) }));
  if (key === '#cdata-section') {
    return items.map((x) => {
      const text = scalarText(x);
      if (text.includes(']]>')) throw new ExpressionError("Cannot have ']]>' inside an XML CDATA block.");
      return { type: 'cdata', text };
    });
  }
  if (key === '#comment') return items.filter((x) => x !== null).map((x) => ({ type: 'comment', text: scalarText(x) }));
  if (key.startsWith('?')) return items.map((x) => ({ type: 'pi', target: key.slice(1), data: scalarText(x) }));
  return items.map((x) => buildElement(key, x));
}

export function jsonToXml(v: Value): XDocument {
  if (!isObject(v)) throw new ExpressionError('The template language function \'xml\' expects an object (JSON) or a string containing XML.');
  const doc: XDocument = { children: [] };
  for (const [k, child] of Object.entries(v)) {
    if (k === '?xml' && isObject(child)) {
      const get = (n: string) => (child[n] === undefined || child[n] === null ? undefined : scalarText(child[n] as Value));
      doc.declaration = { version: get('@version') ?? '1.0' };
      const enc = get('@encoding');
      const standalone = get('@standalone');
      if (enc !== undefined) doc.declaration.encoding = enc;
      if (standalone !== undefined) doc.declaration.standalone = standalone;
      continue;
    }
    doc.children.push(...buildNodes(k, child as Value));
  }
  if (doc.children.filter((c) => c.type === 'element').length > 1) {
    throw new ExpressionError('The provided JSON cannot become XML: There are multiple root elements (More than one root element). Wrap them in a single property.');
  }
  return doc;
}
