import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHistoryStore, DEFAULT_RETENTION_DAYS, openHistoryStore, purgeExpired, retentionFromSettings, RetentionSettingError } from '../../../local/runtime/history/index.js';
import { actionRecord, runRecord } from './records.js';

/**
 * Run-history retention of Logic Apps Standard
 * (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#run-duration-and-history-retention-limits):
 * app setting Workflows.RuntimeConfiguration.RetentionInDays, 90 days by default, counted from the run's
 * start; host setting Runtime.FlowMaintenanceJob.RetentionCooldownInterval (7.00:00:00) between clean-ups.
 * Per workflow: Workflows.<workflowName>.RuntimeConfiguration.RetentionInDays
 * (https://learn.microsoft.com/azure/logic-apps/edit-app-settings-host-settings#reference-local-settings-json).
 */
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const daysAgo = (d: number): string => new Date(NOW - d * DAY).toISOString();

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('retention settings (Learn: limits and configuration, run history retention for Standard)', () => {
  it('defaults to 90 days and a 7-day clean-up interval', () => {
    const p = retentionFromSettings({});
    expect(p.days).toBe(DEFAULT_RETENTION_DAYS);
    expect(DEFAULT_RETENTION_DAYS).toBe(90);
    expect(p.cooldownMs).toBe(7 * DAY);
    expect(p.perWorkflowDays).toEqual({});
  });

  it('reads the app settings (global and per workflow) and the host setting', () => {
    const p = retentionFromSettings(
      { 'Workflows.RuntimeConfiguration.RetentionInDays': '30', 'Workflows.password-reset.RuntimeConfiguration.RetentionInDays': '7', OTHER: 'x' },
      { 'Runtime.FlowMaintenanceJob.RetentionCooldownInterval': '1.00:00:00' },
    );
    expect(p).toEqual({ days: 30, perWorkflowDays: { 'password-reset': 7 }, cooldownMs: DAY });
  });

  it('refuses a retention that is not a whole number of days, naming the setting', () => {
    expect(() => retentionFromSettings({ 'Workflows.RuntimeConfiguration.RetentionInDays': 'ninety' })).toThrow(RetentionSettingError);
    expect(() => retentionFromSettings({ 'Workflows.RuntimeConfiguration.RetentionInDays': '0' })).toThrow(/Workflows.RuntimeConfiguration.RetentionInDays/);
  });
});

describe('retention purge', () => {
  it('deletes finished runs (with actions and repetitions) that started before their retention; keeps the rest', () => {
    const store = createMemoryHistoryStore();
    store.saveRun(runRecord({ name: 'old', startTime: daysAgo(91) }));
    store.saveAction('wf', 'old', actionRecord({ name: 'A', order: 0 }));
    store.saveRepetition('wf', 'old', { action: 'A', name: '000000', repetitionIndexes: [], status: 'Succeeded', code: 'OK', startTime: 't', trackingId: 'x' });
    store.saveRun(runRecord({ name: 'recent', startTime: daysAgo(89) }));
    // A run still in flight is never purged under it (it may be resumed).
    store.saveRun(runRecord({ name: 'old-running', status: 'Running', startTime: daysAgo(120) }));
    store.saveRun(runRecord({ name: 'short', workflow: 'noisy', startTime: daysAgo(8) }));
    store.saveRun(runRecord({ name: 'short-ok', workflow: 'noisy', startTime: daysAgo(6) }));
    const purged = purgeExpired(store, { days: 90, perWorkflowDays: { noisy: 7 }, cooldownMs: DAY }, NOW);
    expect(purged).toBe(2);
    expect(store.listRuns({}).map((r) => r.name).sort()).toEqual(['old-running', 'recent', 'short-ok']);
    expect(store.listActions('wf', 'old')).toEqual([]);
    expect(store.listRepetitions('wf', 'old', 'A')).toEqual([]);
    expect(store.counts()).toEqual({ runs: 3, actions: 0, repetitions: 0 });
  });

  it('purges when the store opens with a retention policy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'history-retention-'));
    dirs.push(dir);
    const first = await openHistoryStore(dir);
    first.saveRun(runRecord({ name: 'expired', startTime: daysAgo(40) }));
    first.saveRun(runRecord({ name: 'kept', startTime: daysAgo(10) }));
    await first.close();
    const store = await openHistoryStore(dir, { retention: retentionFromSettings({ 'Workflows.RuntimeConfiguration.RetentionInDays': '30' }), now: () => NOW });
    expect(store.opened.purged).toBe(1);
    expect(store.listRuns({}).map((r) => r.name)).toEqual(['kept']);
    await store.close();
  });
});
