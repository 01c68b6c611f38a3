import type { ExpressionNode, FunctionCallNode, TemplateNode } from './ast.js';
import type { ExpressionContext } from './context.js';
import { ExpressionError, UnsupportedFunctionError, asExpressionError } from './errors.js';
import { arityMessage } from './functions/args.js';
import { lookupFunction } from './functions/registry.js';
import { BinaryValue, Decimal, findKey, isObject, stringify, typeName, type Value } from './values.js';

/** Evaluates one parsed expression to an evaluator value. */
export function evaluateNode(node: ExpressionNode, ctx: ExpressionContext): Value {
  if (node.kind === 'literal') return node.value;
  let value = callFunction(node, ctx);
  for (const deref of node.dereferences) {
    const key = evaluateNode(deref.key, ctx);
    value = dereference(value, key, deref.safe, node);
  }
  return value;
}

function callFunction(node: FunctionCallNode, ctx: ExpressionContext): Value {
  const def = lookupFunction(node.name);
  if (!def) throw new ExpressionError(`The template function '${node.name}' is not defined or not valid.`);
  if (def.unsupported) throw new UnsupportedFunctionError(node.name);
  const count = node.args.length;
  if (count < def.minArgs || count > def.maxArgs) {
    if ((def.name === 'and' || def.name === 'or') && count === 0) {
      throw new ExpressionError(`The template language function '${node.name}' expects at least one parameter. Expected at least one argument.`);
    }
    throw new ExpressionError(arityMessage(node.name, def.minArgs, def.maxArgs, count));
  }
  const env = { ctx, name: node.name };
  try {
    if (def.lazy) return def.lazy(node.args.map((a) => () => evaluateNode(a, ctx)), env);
    const args = node.args.map((a) => evaluateNode(a, ctx));
    return (def.impl as NonNullable<typeof def.impl>)(args, env);
  } catch (err) {
    throw asExpressionError(err);
  }
}

function describeKey(key: Value): string {
  return typeof key === 'string' ? key : stringify(key);
}

function dereference(base: Value, key: Value, safe: boolean, node: FunctionCallNode): Value {
  if (base === null) {
    if (safe) return null;
    throw new ExpressionError(
      `The template language expression cannot be evaluated because property '${describeKey(key)}' cannot be selected from a null value (after '${node.name}()'). Use '?[' or '?.' for null-safe access.`,
    );
  }
  if (Array.isArray(base)) {
    if (typeof key !== 'bigint' && !(typeof key === 'number' && Number.isInteger(key)) && !(key instanceof Decimal && key.isInteger())) {
      throw new ExpressionError(
        `The template language expression cannot be evaluated because an array of '${base.length}' items cannot be indexed with a value of type '${typeName(key)}' (after '${node.name}()').`,
      );
    }
    const index = typeof key === 'bigint' ? Number(key) : key instanceof Decimal ? Number(key.truncate()) : key;
    if (index < 0 || index >= base.length) {
      if (safe) return null;
      throw new ExpressionError(
        `The template language expression cannot be evaluated because array index '${index}' is outside bounds (0 - ${base.length - 1}) of array (after '${node.name}()').`,
      );
    }
    return base[index] as Value;
  }
  if (isObject(base)) {
    if (typeof key !== 'string') {
      throw new ExpressionError(
        `The template language expression cannot be evaluated because an object cannot be indexed with a value of type '${typeName(key)}' (after '${node.name}()').`,
      );
    }
    const found = findKey(base, key);
    if (found === undefined) {
      if (safe) return null;
      const available = Object.keys(base).map((k) => `'${k}'`).join(', ');
      throw new ExpressionError(
        `The template language expression cannot be evaluated because property '${key}' doesn't exist, available properties are ${available || 'none'} (after '${node.name}()').`,
      );
    }
    return base[found] as Value;
  }
  if (base instanceof BinaryValue && typeof key === 'string') {
    if (key.toLowerCase() === '$content-type') return base.contentType;
    if (key.toLowerCase() === '$content') return base.content;
  }
  if (safe && typeof base !== 'object') return null;
  throw new ExpressionError(
    `The template language expression cannot be evaluated because property '${describeKey(key)}' cannot be selected. Property selection is not supported on values of type '${typeName(base)}' (after '${node.name}()').`,
  );
}

/** Evaluates a parsed template: `@expr` keeps its type, interpolation yields a string. */
export function evaluateParsed(template: TemplateNode, ctx: ExpressionContext): Value {
  switch (template.kind) {
    case 'literal':
      return template.text;
    case 'expression':
      return evaluateNode(template.expression, ctx);
    case 'interpolation': {
      let out = '';
      for (const segment of template.segments) {
        out += segment.kind === 'text' ? segment.text : stringify(evaluateNode(segment.expression, ctx));
      }
      return out;
    }
  }
}
