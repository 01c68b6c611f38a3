import type { XDocument, XNode } from '../dom.js';

/** The XPath 1.0 data model over the small DOM: parents, attributes and document order. */
export interface PNode {
  kind: 'root' | 'element' | 'text' | 'attribute' | 'comment' | 'pi';
  name: string;
  /** Text/attribute/comment/pi value. */
  value: string;
  parent?: PNode;
  children: PNode[];
  attributes: PNode[];
  /** Position in document order. */
  order: number;
  /** The DOM element, for serialising element results. */
  source?: XNode;
}

export function buildTree(doc: XDocument): PNode {
  let order = 0;
  const root: PNode = { kind: 'root', name: '', value: '', children: [], attributes: [], order: order++ };
  const add = (n: XNode, parent: PNode): void => {
    const base = { parent, children: [] as PNode[], attributes: [] as PNode[], order: order++ };
    switch (n.type) {
      case 'element': {
        const el: PNode = { ...base, kind: 'element', name: n.name, value: '', source: n };
        el.attributes = n.attributes.map(([k, v]) => ({ kind: 'attribute', name: k, value: v, parent: el, children: [], attributes: [], order: order++ }));
        parent.children.push(el);
        for (const c of n.children) add(c, el);
        return;
      }
      case 'text':
      case 'cdata': {
        // Adjacent text and CDATA form one XPath text node.
        const last = parent.children[parent.children.length - 1];
        if (last?.kind === 'text') last.value += n.text;
        else parent.children.push({ ...base, kind: 'text', name: '', value: n.text });
        return;
      }
      case 'comment':
        parent.children.push({ ...base, kind: 'comment', name: '', value: n.text });
        return;
      case 'pi':
        parent.children.push({ ...base, kind: 'pi', name: n.target, value: n.data });
        return;
    }
  };
  for (const c of doc.children) add(c, root);
  return root;
}

export function stringValue(n: PNode): string {
  if (n.kind === 'root' || n.kind === 'element') return n.children.map((c) => (c.kind === 'comment' || c.kind === 'pi' ? '' : stringValue(c))).join('');
  return n.value;
}

export function descendants(n: PNode, out: PNode[] = []): PNode[] {
  for (const c of n.children) {
    out.push(c);
    descendants(c, out);
  }
  return out;
}

export function rootOf(n: PNode): PNode {
  let r = n;
  while (r.parent) r = r.parent;
  return r;
}
