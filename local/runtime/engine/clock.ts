import type { RuntimeClock } from '../model.js';

/**
 * Wall clock whose waits are multiplied by `timeScale`: tests run a 7 s retry interval in 70 ms
 * with timeScale 0.01 while timestamps stay real.
 */
export function createScaledClock(timeScale = 1): RuntimeClock {
  const scale = Number.isFinite(timeScale) && timeScale >= 0 ? timeScale : 1;
  return {
    now: () => Date.now(),
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason ?? new Error('aborted'));
          return;
        }
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(signal?.reason ?? new Error('aborted'));
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms * scale));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
