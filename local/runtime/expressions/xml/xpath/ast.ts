/** XPath 1.0 syntax tree. */
export type XExpr =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bin'; op: string; l: XExpr; r: XExpr }
  | { k: 'neg'; e: XExpr }
  | { k: 'call'; name: string; args: XExpr[] }
  | { k: 'path'; absolute: boolean; start?: XExpr; steps: XStep[] }
  | { k: 'filter'; e: XExpr; preds: XExpr[] };

export interface XStep {
  axis: string;
  /** '*', a QName, 'prefix:*', or a node type test: 'node()', 'text()', 'comment()', 'processing-instruction()'. */
  test: string;
  preds: XExpr[];
}
