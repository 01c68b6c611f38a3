import type { RuntimeServices } from '../model.js';
import { createScaledClock } from './clock.js';
import { createNodeHttp } from './http-client.js';
import { createManagedIdentityTokenProvider } from './managed-identity.js';

/**
 * The real outside world for the engine: node:http(s) for HTTP, the App Service managed-identity contract
 * for tokens (app settings first, then the process environment), and a scalable clock.
 */
export function createDefaultServices(opts: { timeScale?: number; appSettings?: Record<string, string> } = {}): RuntimeServices {
  const http = createNodeHttp();
  const clock = createScaledClock(opts.timeScale ?? 1);
  const setting = (name: string): string | undefined => opts.appSettings?.[name] ?? process.env[name];
  const managedIdentityToken = createManagedIdentityTokenProvider({ setting, http: (r) => http(r), now: clock.now });
  return { http, managedIdentityToken, clock };
}
