import type { HttpHandler, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { loadSettings } from '../config/settings.js';
import { checkCaller } from './caller.js';
import { errorResponse } from './respond.js';

/**
 * Wraps a helper's body with what every helper does: check the caller (unless the function is
 * explicitly anonymous), and turn whatever it throws into the shared error response.
 */
export interface HelperOptions {
  step: string;
  /** Only for functions meant for anyone (health probe, one-time links). */
  anonymous?: boolean;
}

export function helper(options: HelperOptions, run: (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>): HttpHandler {
  return async (request, context) => {
    try {
      if (!options.anonymous) checkCaller(request, loadSettings().ALLOWED_CALLER_OBJECT_IDS);
      return await run(request, context);
    } catch (err) {
      return errorResponse(err, context, options.step);
    }
  };
}
