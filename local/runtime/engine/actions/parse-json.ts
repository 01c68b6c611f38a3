import { ActionFailure } from '../errors.js';
import { validateJsonSchema } from '../json-schema.js';
import type { ActionExecutor } from './types.js';

/** Parse JSON: parses `content` when it is text, then checks it against `schema`. Output body = the value. */
export const parseJson: ActionExecutor = async (ctx) => {
  const inputs = (ctx.evaluateInputs() ?? {}) as { content?: unknown; schema?: unknown };
  let body = inputs.content;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch (err) {
      throw new ActionFailure('InvalidJSON', `The 'content' property of action '${ctx.action.name}' is not valid JSON: ${(err as Error).message}`);
    }
  }
  const errors = validateJsonSchema(inputs.schema, body);
  if (errors.length > 0) {
    throw new ActionFailure('ValidationFailed', `The schema validation failed. ${errors.join(' ')}`, { outputs: { body, errors } });
  }
  return { code: 'OK', outputs: { body } };
};
