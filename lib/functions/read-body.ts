import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * Request bodies: read as text (so the byte length is known), parsed as JSON, then checked with a
 * zod schema. Bad JSON and schema problems are 400s that say what is wrong.
 */
export async function readJson(request: HttpRequest, step: string): Promise<{ value: unknown; bytes: number }> {
  const text = await request.text();
  const bytes = Buffer.byteLength(text, 'utf8');
  try {
    return { value: JSON.parse(text) as unknown, bytes };
  } catch {
    throw new AppError({
      code: 'validation_failed',
      message: text.trim() === '' ? 'The request body is empty; a JSON object was expected.' : 'The request body is not valid JSON.',
      status: 400,
      fix: 'Send a JSON object with Content-Type: application/json.',
      step,
    });
  }
}

export async function readBody<T>(request: HttpRequest, schema: z.ZodType<T>, step: string): Promise<T> {
  const { value } = await readJson(request, step);
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError({
    code: 'validation_failed',
    message: 'The request body is not what this helper expects.',
    status: 400,
    fix: 'Correct the fields listed in details.problems.',
    step,
    details: { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'body', message: i.message })) },
  });
}
