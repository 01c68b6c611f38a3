/**
 * Reads the `RESULT: {json}` line every runbook writes last (runbooks/README.md "Output contract")
 * out of a job's output text. Pure, no imports: compiled into the workflows' inline code.
 */
export interface RunbookResult {
  outcome: 'applied' | 'already_satisfied';
  action: string;
  message: string;
  details: Record<string, unknown>;
}

export type ParsedRunbookOutput = { ok: true; result: RunbookResult } | { ok: false; reason: string };

const PREFIX = 'RESULT:';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The last RESULT line wins (progress lines come first; a runbook writes RESULT once, at the end).
 * Job output arrives as text; some callers hand over a JSON-encoded string or an array of lines.
 */
export function parseRunbookOutput(output: unknown): ParsedRunbookOutput {
  const text = Array.isArray(output) ? output.map((l) => String(l)).join('\n') : typeof output === 'string' ? output : '';
  if (text.trim() === '') return { ok: false, reason: 'The runbook produced no output.' };
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const line = [...lines].reverse().find((l) => l.startsWith(PREFIX));
  if (line === undefined) return { ok: false, reason: 'The runbook output has no RESULT line.' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(PREFIX.length).trim());
  } catch {
    return { ok: false, reason: 'The RESULT line of the runbook output is not valid JSON.' };
  }
  if (!isRecord(parsed) || (parsed.outcome !== 'applied' && parsed.outcome !== 'already_satisfied')) {
    return { ok: false, reason: 'The RESULT line of the runbook output has no known outcome (applied or already_satisfied).' };
  }
  return {
    ok: true,
    result: {
      outcome: parsed.outcome,
      action: typeof parsed.action === 'string' ? parsed.action : '',
      message: typeof parsed.message === 'string' ? parsed.message : '',
      details: isRecord(parsed.details) ? parsed.details : {},
    },
  };
}
