/** A minimal XML DOM: just what xml(), json(xml) and the .NET-style serialiser need. */
export type XNode = XElement | XText | XCData | XComment | XProcessingInstruction;

export interface XElement {
  type: 'element';
  name: string;
  attributes: Array<[string, string]>;
  children: XNode[];
  /** Written as `<a />` (no content) rather than `<a></a>`. */
  selfClosing: boolean;
}
export interface XText {
  type: 'text';
  text: string;
}
export interface XCData {
  type: 'cdata';
  text: string;
}
export interface XComment {
  type: 'comment';
  text: string;
}
export interface XProcessingInstruction {
  type: 'pi';
  target: string;
  data: string;
}

export interface XDeclaration {
  version: string;
  encoding?: string;
  standalone?: string;
}

export interface XDocType {
  name: string;
  publicId?: string;
  systemId?: string;
  internalSubset?: string;
}

export interface XDocument {
  declaration?: XDeclaration;
  doctype?: XDocType;
  /** Top-level comments, processing instructions and (at most one) element, in order. */
  children: XNode[];
}

export function rootElement(doc: XDocument): XElement | undefined {
  return doc.children.find((c): c is XElement => c.type === 'element');
}
