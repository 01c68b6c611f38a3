import type { Settings } from '../config/settings.js';
import { AppError } from '../errors/app-error.js';

/** The msp-only helpers answer 404 in customer mode: there is no registry and no customer tenant to act in. */
export function requireMspMode(settings: Settings, step: string): void {
  if (settings.DEPLOYMENT_MODE === 'msp') return;
  throw new AppError({
    code: 'not_found',
    message: 'This deployment serves one customer (DEPLOYMENT_MODE customer); the msp endpoints are off.',
    status: 404,
    fix: 'Call the msp endpoints only on a deployment made with `npm run deploy -- --mode msp` (docs/msp-mode.md).',
    step,
  });
}
