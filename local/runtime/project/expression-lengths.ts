import { parseTemplate } from '../expressions/index.js';
import { isRecord } from './read-json.js';

export interface MeasuredExpression {
  /** Where it sits inside the measured value, e.g. "inputs.body.message". */
  path: string;
  /** Characters as written: `@expr` whole, or `@{expr}` for each interpolated part. */
  length: number;
}

function measureString(text: string, path: string, out: MeasuredExpression[]): void {
  if (!text.includes('@')) return;
  let parsed;
  try {
    parsed = parseTemplate(text);
  } catch {
    return; // invalid syntax is reported by the expression check, not as a length
  }
  if (parsed.kind === 'expression') out.push({ path, length: parsed.source.length + 1 });
  if (parsed.kind === 'interpolation') {
    for (const seg of parsed.segments) if (seg.kind === 'expression') out.push({ path, length: seg.source.length + 3 });
  }
}

/**
 * Every expression in a JSON value (strings and object keys), with its length. The caller passes an
 * action's own fields: nested actions are measured as their own actions.
 */
export function measureExpressions(value: unknown, path = ''): MeasuredExpression[] {
  const out: MeasuredExpression[] = [];
  const walk = (v: unknown, p: string): void => {
    if (typeof v === 'string') measureString(v, p, out);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        const kp = p === '' ? k : `${p}.${k}`;
        measureString(k, kp, out);
        walk(x, kp);
      }
    }
  };
  walk(value, path);
  return out;
}
