import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseEngine, parseEngineSetting, RunbookEngineError } from '../../../local/standins/automation/engine-choice.js';
import { manifestAutomationGrants } from '../../../local/standins/automation/runbook-identity.js';
import { findTool } from '../../support/tools.js';

/** AUTOMATION_RUNBOOK_ENGINE=typescript|pwsh|auto (docs/exchange-stand-in.md, "Two engines"). */
describe('runbook engine choice', () => {
  it('parses the setting, auto by default, and refuses anything else', () => {
    expect(parseEngineSetting(undefined)).toBe('auto');
    expect(parseEngineSetting(' PWSH ')).toBe('pwsh');
    expect(parseEngineSetting('typescript')).toBe('typescript');
    expect(() => parseEngineSetting('python')).toThrow(RunbookEngineError);
  });

  it('forces the TypeScript models when asked', () => {
    expect(chooseEngine('typescript')).toMatchObject({ engine: 'typescript', reason: expect.stringMatching(/forced/) });
  });

  it('falls back to the TypeScript models without the stub module, and fails a forced pwsh with the reason', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-modules-'));
    expect(chooseEngine('auto', empty)).toMatchObject({ engine: 'typescript' });
    expect(() => chooseEngine('pwsh', empty)).toThrow(/pwsh runbook engine was requested but/);
  });

  it('takes pwsh in auto mode where the tests find it (always in CI)', () => {
    const pwsh = findTool('pwsh');
    const choice = chooseEngine('auto');
    expect(choice.engine).toBe(pwsh ? 'pwsh' : 'typescript');
    if (pwsh) expect(choice.pwsh).toBe(pwsh);
  });
});

describe('the Automation identity from infra/permissions.json', () => {
  it('reads the automation grants of the manifest, or nothing without one', () => {
    expect(manifestAutomationGrants(join(tmpdir(), 'no-such-manifest.json'))).toBeUndefined();
    const grants = manifestAutomationGrants();
    if (grants) {
      // The manifest gives the Automation identity Exchange.ManageAsApp (https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2).
      expect(grants.appRoles).toContain('Exchange.ManageAsApp');
      expect(grants.directoryRoles.length).toBeGreaterThan(0);
    }
  });
});
