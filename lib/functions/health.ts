import { app, type HttpFunctionOptions } from '@azure/functions';
import { loadSettings } from '../config/settings.js';
import { helper } from './helper.js';
import { json } from './respond.js';

/**
 * GET /api/health (anonymous, for probes): 200 when the settings parse, otherwise the configuration
 * error naming the bad setting. Touches no tenant data and calls no other service.
 */
export const health: HttpFunctionOptions = {
  methods: ['GET'],
  route: 'health',
  authLevel: 'anonymous',
  handler: helper({ step: 'health', anonymous: true }, async () => {
    loadSettings();
    return json(200, { status: 'ok' });
  }),
};

app.http('health', health);
