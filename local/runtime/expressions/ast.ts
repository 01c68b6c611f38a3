/** Syntax tree of a template string and of the expressions inside it. */

export type ExpressionNode = LiteralNode | FunctionCallNode;

/** A literal value: string, integer (bigint, int64), float (number), boolean or null. */
export interface LiteralNode {
  kind: 'literal';
  value: string | bigint | number | boolean | null;
}

/** `.name`, `['name']`, `?.name`, `?['name']` applied after a function call. */
export interface Dereference {
  /** True for the null-safe forms (`?.x`, `?[x]`): a null base yields null instead of an error. */
  safe: boolean;
  /** True for `.name`; the key is then always a string literal. */
  dot: boolean;
  key: ExpressionNode;
}

export interface FunctionCallNode {
  kind: 'call';
  /** The name as written; lookup is case-insensitive. */
  name: string;
  args: ExpressionNode[];
  dereferences: Dereference[];
  /** Character offset of the name inside the expression text, for messages. */
  position: number;
}

/**
 * A whole template string:
 * - `literal`: plain text (after `@@` unescaping), returned as is;
 * - `expression`: `@expr` keeps the JSON type of the value;
 * - `interpolation`: text mixed with `@{...}` segments, always a string.
 */
export type TemplateNode =
  | { kind: 'literal'; text: string }
  | { kind: 'expression'; source: string; expression: ExpressionNode }
  | { kind: 'interpolation'; segments: InterpolationSegment[] };

export type InterpolationSegment =
  | { kind: 'text'; text: string }
  | { kind: 'expression'; source: string; expression: ExpressionNode };
