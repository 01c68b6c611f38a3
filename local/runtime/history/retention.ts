import type { SqliteHistoryStore } from './sqlite-store.js';

const DAY_MS = 86_400_000;

/**
 * How long run history is kept, as Logic Apps Standard configures it
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#run-duration-and-history-retention-limits,
 * https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings#reference-local-settings-json):
 * app setting `Workflows.RuntimeConfiguration.RetentionInDays` (default 90 days, counted from the
 * run's start), `Workflows.<workflowName>.RuntimeConfiguration.RetentionInDays` per workflow, and
 * host setting `Runtime.FlowMaintenanceJob.RetentionCooldownInterval` (default 7.00:00:00) between
 * clean-ups. The local runtime also cleans up once at every start.
 */
export interface RetentionPolicy {
  days: number;
  /** Workflow name (as in the project) -> days, overriding `days`. */
  perWorkflowDays: Record<string, number>;
  /** Time between clean-ups while the runtime keeps running. */
  cooldownMs: number;
}

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_RETENTION_COOLDOWN_MS = 7 * DAY_MS;

export class RetentionSettingError extends Error {
  constructor(
    readonly setting: string,
    readonly value: string,
  ) {
    super(`The setting '${setting}' is '${value}': it must be a whole number of days of 1 or more.`);
    this.name = 'RetentionSettingError';
  }
}

function days(setting: string, value: string): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1) throw new RetentionSettingError(setting, value);
  return n;
}

/** "7.00:00:00" (TimeSpan, as host.json writes it) or a bare number of days. */
function cooldownMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RETENTION_COOLDOWN_MS;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(value.trim());
  if (m) return ((Number(m[1] ?? 0) * 24 + Number(m[2])) * 3600 + Number(m[3]) * 60 + Number(m[4])) * 1000 || DEFAULT_RETENTION_COOLDOWN_MS;
  const n = Number(value);
  if (Number.isFinite(n) && n > 0) return n * DAY_MS;
  throw new RetentionSettingError('Runtime.FlowMaintenanceJob.RetentionCooldownInterval', value);
}

const PER_WORKFLOW = /^Workflows\.(.+)\.RuntimeConfiguration\.RetentionInDays$/i;

/** Reads the policy from app settings and host.json `extensions.workflow.settings`. Throws RetentionSettingError. */
export function retentionFromSettings(appSettings: Record<string, string>, hostSettings: Record<string, string> = {}): RetentionPolicy {
  const policy: RetentionPolicy = { days: DEFAULT_RETENTION_DAYS, perWorkflowDays: {}, cooldownMs: cooldownMs(hostSettings['Runtime.FlowMaintenanceJob.RetentionCooldownInterval']) };
  for (const [key, value] of Object.entries(appSettings)) {
    if (key.toLowerCase() === 'workflows.runtimeconfiguration.retentionindays') {
      policy.days = days(key, value);
      continue;
    }
    const m = PER_WORKFLOW.exec(key);
    if (m?.[1]) policy.perWorkflowDays[m[1]] = days(key, value);
  }
  return policy;
}

/** Deletes finished runs older than their workflow's retention; returns how many. */
export function purgeExpired(store: SqliteHistoryStore, policy: RetentionPolicy, now: number): number {
  const cutoff = (d: number): string => new Date(now - d * DAY_MS).toISOString();
  const special = Object.keys(policy.perWorkflowDays);
  let purged = store.purgeStartedBefore(cutoff(policy.days), undefined, special);
  for (const [workflow, d] of Object.entries(policy.perWorkflowDays)) purged += store.purgeStartedBefore(cutoff(d), workflow);
  return purged;
}
