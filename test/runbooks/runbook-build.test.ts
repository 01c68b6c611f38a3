import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/runbooks/repo-root.js';
import { applyRegion, expectedRunbooks, REGION_END, REGION_START, renderRegion, SHARED_SOURCE, SharedRegionError } from '../../scripts/runbooks/shared-region.js';

/**
 * The Exchange connection code exists once (runbooks/shared/ExchangeConnection.ps1); every published runbook carries
 * a generated copy (scripts/runbooks/build-runbooks.ts). Azure Automation runs each runbook as one standalone script,
 * so the copy is what runs; this keeps the copies from drifting (runbooks/README.md, "Shared connection code").
 */
const root = repoRoot();

describe('runbooks carry the shared Exchange connection code', () => {
  for (const { file, current, expected } of expectedRunbooks(root)) {
    it(`${relative(root, file)} holds the current copy (else: npm run build && node dist/scripts/runbooks/build-runbooks.js)`, () => {
      expect(current).toBe(expected);
      // Each runbook connects through the shared function, once, after its own parameter block.
      expect(current.match(/^Connect-CustomerExchange \$Organization$/gm)).toHaveLength(1);
      expect(current.indexOf(REGION_START)).toBeGreaterThan(current.indexOf('param('));
      // Outside the region (comment-based help aside) nothing connects or reads the mode on its own.
      const outside = (current.slice(0, current.indexOf(REGION_START)) + current.slice(current.indexOf(REGION_END))).replace(/<#[\s\S]*?#>/g, '');
      expect(outside).not.toMatch(/Connect-ExchangeOnline|DeploymentMode|IDENTITY_ENDPOINT/);
    });
  }

  it('the shared source connects both ways and never writes a token to a stream', () => {
    const shared = readFileSync(`${root}/${SHARED_SOURCE}`, 'utf8');
    expect(shared).toMatch(/Connect-ExchangeOnline -ManagedIdentity -Organization \$Organization -ShowBanner:\$false/);
    expect(shared).toMatch(/Connect-ExchangeOnline -AccessToken \(Get-CustomerExchangeToken \$Organization\) -Organization \$Organization -ShowBanner:\$false/);
    // Token values are only ever passed on, never formatted into output, warnings or errors.
    expect(shared).not.toMatch(/Write-(Output|Host|Verbose|Warning|Information)[^\n]*(\$assertion|access_token|\$answer)/i);
    expect(shared).not.toMatch(/throw [^\n]*(\$assertion|\$answer)/i);
  });

  it('replaces an outdated region and refuses a runbook without one', () => {
    const region = renderRegion('function X {}\r\n\r\n');
    const runbook = `param()\n${REGION_START}\nold\n${REGION_END}\nConnect-CustomerExchange $Organization\n`;
    expect(applyRegion('a.ps1', runbook, region)).toBe(`param()\n${REGION_START}\nfunction X {}\n${REGION_END}\nConnect-CustomerExchange $Organization\n`);
    expect(() => applyRegion('b.ps1', 'param()\n', region)).toThrow(SharedRegionError);
    expect(() => applyRegion('c.ps1', `${runbook}${runbook}`, region)).toThrow(/twice/);
  });
});
