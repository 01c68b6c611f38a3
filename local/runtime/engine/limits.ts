import type { LoadedProject } from '../model.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './http-client.js';
import type { EngineLimits } from './run-state.js';

/** host.json `extensions.workflow.settings` (Runtime.* keys), where Standard reads host settings. */
export function hostSettings(project: LoadedProject): Record<string, string> {
  const ext = (project.host.extensions ?? {}) as { workflow?: { settings?: Record<string, unknown> } };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ext.workflow?.settings ?? {})) out[k] = String(v);
  return out;
}

function intSetting(settings: Record<string, string>, key: string, fallback: number): number {
  const n = Number(settings[key]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** "00:03:45" (TimeSpan) to ms. */
function timeSpanMs(text: string | undefined): number | undefined {
  const m = text ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text) : null;
  if (!m) return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000;
}

/** Engine limits: Standard's defaults, overridden by host.json settings, then by the caller (tests). */
export function engineLimits(project: LoadedProject, override: Partial<EngineLimits> = {}): EngineLimits {
  const s = hostSettings(project);
  return {
    javaScriptTimeoutMs: 15_000,
    foreachDegreeOfParallelism: intSetting(s, 'Runtime.Backend.ForeachDefaultDegreeOfParallelism', 20),
    maximumUntilLimitCount: intSetting(s, 'Runtime.Backend.MaximumUntilLimitCount', 5000),
    foreachItemsLimit: intSetting(s, 'Runtime.Backend.FlowDefaultForeachItemsLimit', 100_000),
    statelessForeachItemsLimit: intSetting(s, 'Runtime.Backend.Stateless.FlowDefaultForeachItemsLimit', 100),
    statelessMaximumUntilLimitCount: intSetting(s, 'Runtime.Backend.Stateless.MaximumUntilLimitCount', 100),
    httpRequestTimeoutMs: timeSpanMs(s['Runtime.Backend.HttpOperation.RequestTimeout']) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...override,
  };
}
