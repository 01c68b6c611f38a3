import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findPwsh } from './pwsh/find-pwsh.js';
import { PWSH_MODULES_DIR } from './repo-paths.js';
import type { RunbookEngineName } from './runners/runner-types.js';

/**
 * Which engine runs runbook jobs: option `runbookEngine`, else env AUTOMATION_RUNBOOK_ENGINE
 * (`typescript` | `pwsh` | `auto`, default auto). Auto takes the real .ps1 files under pwsh when pwsh and
 * the stub ExchangeOnlineManagement module are there (always in CI), else the TypeScript models.
 */
export type RunbookEngineSetting = RunbookEngineName | 'auto';

export interface EngineChoice {
  engine: RunbookEngineName;
  /** Set when engine is pwsh. */
  pwsh?: string;
  /** One sentence for /_admin/engine and the start-up banner. */
  reason: string;
}

export class RunbookEngineError extends Error {
  override readonly name = 'RunbookEngineError';
}

export function parseEngineSetting(value: string | undefined): RunbookEngineSetting {
  const v = (value ?? 'auto').trim().toLowerCase();
  if (v === '' || v === 'auto') return 'auto';
  if (v === 'typescript' || v === 'pwsh') return v;
  throw new RunbookEngineError(`AUTOMATION_RUNBOOK_ENGINE must be typescript, pwsh or auto, not '${value}'.`);
}

export function chooseEngine(setting: RunbookEngineSetting, modulesDir = PWSH_MODULES_DIR): EngineChoice {
  if (setting === 'typescript') return { engine: 'typescript', reason: 'TypeScript runbook models (forced by setting).' };
  const pwsh = findPwsh();
  const stub = existsSync(join(modulesDir, 'ExchangeOnlineManagement'));
  if (pwsh && stub) return { engine: 'pwsh', pwsh, reason: `runbooks/*.ps1 under ${pwsh}${setting === 'pwsh' ? ' (forced by setting)' : ''}.` };
  const missing = !pwsh ? "pwsh was not found (PWSH_PATH, .tools/bin/pwsh or PATH; 'npm run tools' installs it)" : `the stub module is missing from ${modulesDir}`;
  if (setting === 'pwsh') throw new RunbookEngineError(`The pwsh runbook engine was requested but ${missing}.`);
  return { engine: 'typescript', reason: `TypeScript runbook models: ${missing}.` };
}
