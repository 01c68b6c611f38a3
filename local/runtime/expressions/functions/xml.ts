import { BinaryValue, isObject, type Value } from '../values.js';
import { parseXml } from '../xml/parse-xml.js';
import { serializeXml } from '../xml/serialize-xml.js';
import { runXPath } from '../xml/xpath/index.js';
import { encodeXmlName, jsonToXml, xmlToJson } from '../xml/xml-json.js';
import { arg, str, typeError } from './args.js';
import { fn, type FunctionDef } from './types.js';

/**
 * XML functions. XML values are binary content of type application/xml (the host's envelope);
 * xpath() runs the XPath 1.0 evaluator in ../xml/xpath.
 */
export const XML_CONTENT_TYPE = 'application/xml;charset=utf-8';

export function isXml(v: Value): v is BinaryValue {
  return v instanceof BinaryValue && /^application\/xml/i.test(v.contentType);
}

/** json() of an XML value. */
export function xmlValueToJson(v: BinaryValue): Value {
  return xmlToJson(parseXml(v.text()));
}

function toXml(name: string, v: Value): BinaryValue {
  // Binary content is relabelled as is, not parsed (host behaviour).
  if (v instanceof BinaryValue) return new BinaryValue(XML_CONTENT_TYPE, v.content);
  if (isObject(v) && Object.keys(v).length === 2 && typeof v['$content'] === 'string' && typeof v['$content-type'] === 'string') {
    return new BinaryValue(XML_CONTENT_TYPE, v['$content']);
  }
  if (typeof v !== 'string' && (v === null || typeof v !== 'object' || Array.isArray(v))) {
    throw typeError(name, 'be a string containing XML or an object', v);
  }
  const doc = typeof v === 'string' ? parseXml(v) : jsonToXml(v);
  return BinaryValue.fromBytes(Buffer.from(serializeXml(doc), 'utf8'), XML_CONTENT_TYPE);
}

function decodeXmlName(name: string): string {
  return name.replace(/_x([0-9a-fA-F]{4,6})_/g, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
}

export const xmlFunctions: FunctionDef[] = [
  fn('xml', 1, 1, (args, env) => toXml(env.name, arg(args, 0))),
  fn('xpath', 2, 2, (args, env) => {
    // Only an XML value is searched: a string of XML (or JSON) must go through xml() first, as on the host
    // (IllogicApps ManipulationFunctionsTests, recorded from the host; Learn's examples call xpath(xml(...))).
    const source = arg(args, 0);
    if (!(source instanceof BinaryValue) || !/^(application|text)\/([\w.+-]+\+)?xml\b/i.test(source.contentType)) {
      throw typeError(env.name, 'be an XML object (use xml() to convert a string)', source, 0);
    }
    return runXPath(parseXml(source.text()), str(env.name, args, 1), XML_CONTENT_TYPE);
  }),
  fn('encodeXmlValue', 1, 1, (args, env) =>
    str(env.name, args, 0).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
  ),
  fn('decodeXmlValue', 1, 1, (args, env) => {
    const text = str(env.name, args, 0);
    return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#[0-9]+);/g, (_m, e: string) => {
      const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
      if (e in named) return named[e] as string;
      return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    });
  }),
  fn('encodeXmlName', 1, 1, (args, env) => encodeXmlName(str(env.name, args, 0))),
  fn('decodeXmlName', 1, 1, (args, env) => decodeXmlName(str(env.name, args, 0))),
];

