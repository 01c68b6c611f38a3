import { ExpressionError } from '../../errors.js';
import { BinaryValue, type Value } from '../../values.js';
import type { XDocument, XElement } from '../dom.js';
import { serializeXml } from '../serialize-xml.js';
import { evalExpr } from './evaluate.js';
import { parseXPath } from './parser.js';
import { buildTree, type PNode } from './tree.js';

/**
 * xpath(xml, expression): numbers, strings and booleans come back as such; a node-set becomes
 * an array with elements as XML content and text/attribute/comment nodes as their string value.
 */
function nodeValue(n: PNode, contentType: string): Value {
  if (n.kind === 'element' && n.source) {
    const doc: XDocument = { children: [n.source as XElement] };
    return BinaryValue.fromBytes(Buffer.from(serializeXml(doc), 'utf8'), contentType);
  }
  if (n.kind === 'root') throw new ExpressionError('The XPath expression selected the document node, which cannot be returned; select its root element instead.');
  return n.value;
}

export function runXPath(doc: XDocument, xpath: string, contentType: string): Value {
  const root = buildTree(doc);
  const v = evalExpr(parseXPath(xpath), { node: root, position: 1, size: 1 });
  if (Array.isArray(v)) return v.map((n) => nodeValue(n, contentType));
  return v;
}
