import { app, type HttpFunctionOptions } from '@azure/functions';
import { validateWebhook } from '../contract/index.js';
import { helper } from './helper.js';
import { json } from './respond.js';
import { readJson } from './read-body.js';

/**
 * POST /api/webhook/validate: the router's first step. Body = Thread's raw payload.
 * 200 {request} (normalised) | 400/413 {problems, supportedIntents?}. The request may carry a
 * supplied temporary password, so the router's action uses secureData.
 */
export const webhookValidate: HttpFunctionOptions = {
  methods: ['POST'],
  route: 'webhook/validate',
  authLevel: 'anonymous',
  handler: helper({ step: 'validate_payload' }, async (request) => {
    const { value, bytes } = await readJson(request, 'validate_payload');
    const result = validateWebhook(value, bytes);
    if (result.ok) return json(200, { request: result.request });
    return json(result.status, { problems: result.problems, ...(result.supportedIntents ? { supportedIntents: result.supportedIntents } : {}) });
  }),
};

app.http('webhookValidate', webhookValidate);
