import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, locateAz, parseAzOutput } from '../../scripts/deploy/az-cli.js';
import { formatCommand, quoteArg, redactArgs } from '../../scripts/deploy/command-line.js';
import { AzCommandError } from '../../scripts/deploy/errors.js';
import { sameScript } from '../../scripts/deploy/steps/runbooks.js';
import { formatWhatIf, predictsChanges } from '../../scripts/deploy/steps/what-if.js';
import { crc32, zipFolder } from '../../scripts/deploy/zip.js';

const run = promisify(execFile);

describe('zip writer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-zip-'));
    await mkdir(join(dir, 'pkg', 'thread-webhook'), { recursive: true });
    await writeFile(join(dir, 'pkg', 'host.json'), '{"version":"2.0"}');
    await writeFile(join(dir, 'pkg', 'thread-webhook', 'workflow.json'), JSON.stringify({ definition: { triggers: {} } }).repeat(50));
    await writeFile(join(dir, 'pkg', 'empty.txt'), '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('CRC-32 matches the check value of the standard (ISO-HDLC: "123456789" → cbf43926)', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('writes the same bytes for the same folder (the package hash decides whether to deploy)', async () => {
    await zipFolder(join(dir, 'pkg'), join(dir, 'a.zip'));
    await zipFolder(join(dir, 'pkg'), join(dir, 'b.zip'));
    expect((await readFile(join(dir, 'a.zip'))).equals(await readFile(join(dir, 'b.zip')))).toBe(true);
  });

  it('has every file at its relative path, deflated and readable back (central directory, APPNOTE 4.3.12)', async () => {
    await zipFolder(join(dir, 'pkg'), join(dir, 'a.zip'));
    const buf = await readFile(join(dir, 'a.zip'));
    const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const count = buf.readUInt16LE(end + 10);
    let at = buf.readUInt32LE(end + 16);
    const files: Record<string, string> = {};
    for (let n = 0; n < count; n++) {
      const method = buf.readUInt16LE(at + 10);
      const size = buf.readUInt32LE(at + 20);
      const nameLength = buf.readUInt16LE(at + 28);
      const offset = buf.readUInt32LE(at + 42);
      const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
      const dataAt = offset + 30 + buf.readUInt16LE(offset + 26);
      const body = buf.subarray(dataAt, dataAt + size);
      files[name] = (method === 8 ? inflateRawSync(body) : body).toString('utf8');
      at += 46 + nameLength;
    }
    expect(Object.keys(files)).toEqual(['empty.txt', 'host.json', 'thread-webhook/workflow.json']);
    expect(files['thread-webhook/workflow.json']).toBe(await readFile(join(dir, 'pkg', 'thread-webhook', 'workflow.json'), 'utf8'));
  });

  it('passes `unzip -t` where unzip is installed (Info-ZIP is what most tools are tested against)', async () => {
    await zipFolder(join(dir, 'pkg'), join(dir, 'a.zip'));
    const unzip = await run('unzip', ['-t', join(dir, 'a.zip')]).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    if (!unzip) return; // not installed here: the reader above still checked the format
    expect(unzip.stdout).toContain('No errors detected');
  });
});

describe('how az is run and answered', () => {
  it('parses JSON answers, passes raw text through (az rest on text/powershell), and empty answers as undefined', () => {
    expect(parseAzOutput('{\n  "a": 1\n}\n')).toEqual({ a: 1 });
    expect(parseAzOutput('param($X)\nWrite-Output $X\n')).toBe('param($X)\nWrite-Output $X\n');
    expect(parseAzOutput('\n')).toBeUndefined();
  });

  it('treats exit code 3 and az rest 404s as "not found", and nothing else (https://github.com/Azure/azure-cli/issues/6612)', () => {
    expect(isNotFound(new AzCommandError([], 3, "ERROR: (ResourceGroupNotFound) Resource group 'x' could not be found."))).toBe(true);
    expect(isNotFound(new AzCommandError([], 1, 'ERROR: Not Found({"code":"NotFound"})'))).toBe(true);
    expect(isNotFound(new AzCommandError([], 1, "ERROR: Resource 'x' does not exist or one of its queried reference-property objects are not present."))).toBe(true);
    expect(isNotFound(new AzCommandError([], 1, 'ERROR: (AuthorizationFailed) The client does not have authorization'))).toBe(false);
    expect(isNotFound(new AzCommandError([], 1, "ERROR: Subscription 'x' not found."))).toBe(false);
  });

  it('on Windows runs the CLI’s own python (az.cmd cannot start without a shell); elsewhere az', async () => {
    expect(locateAz({ PATH: '/usr/bin' }, 'linux')).toEqual({ file: 'az', prefix: [] });
    const dir = await mkdtemp(join(tmpdir(), 'deploy-az-'));
    await mkdir(join(dir, 'CLI2', 'wbin'), { recursive: true });
    await writeFile(join(dir, 'CLI2', 'wbin', 'az.cmd'), '');
    await writeFile(join(dir, 'CLI2', 'python.exe'), '');
    expect(locateAz({ PATH: join(dir, 'CLI2', 'wbin') }, 'win32')).toEqual({ file: join(dir, 'CLI2', 'python.exe'), prefix: ['-IBm', 'azure.cli'] });
    await rm(dir, { recursive: true, force: true });
  });

  it('shows commands POSIX-quoted, with any secret-bearing value redacted', () => {
    expect(quoteArg("displayName eq 'x'")).toBe(`'displayName eq '\\''x'\\'''`);
    expect(formatCommand('az', ['group', 'show', '--name', 'rg one'])).toBe("az group show --name 'rg one'");
    expect(redactArgs(['--password', 'hunter2', '--url', 'https://x/invoke?sv=1.0&sig=abc&x=1', 'Authorization=Bearer eyJabc'])).toEqual([
      '--password',
      '<redacted>',
      '--url',
      'https://x/invoke?sv=1.0&sig=<redacted>&x=1',
      'Authorization=Bearer <redacted>',
    ]);
  });

  it('compares runbook scripts the way Automation returns them (BOM, CRLF, trailing newline)', () => {
    expect(sameScript('\uFEFFparam()\r\nWrite-Output 1\r\n', 'param()\nWrite-Output 1')).toBe(true);
    expect(sameScript('param()\nWrite-Output 1', 'param()\nWrite-Output 2')).toBe(false);
  });

  it('shows what-if as one line per changing resource (WhatIfOperationResult, Learn "Deployments - What If")', () => {
    const result = {
      status: 'Succeeded',
      changes: [
        { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/logic-a', changeType: 'Modify', delta: [{ path: 'properties.httpsOnly' }] },
        { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sta', changeType: 'NoChange' },
        { resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag', changeType: 'Create' },
      ],
    };
    expect(formatWhatIf(result)).toEqual([
      "    What-if (Azure's prediction of this deployment):",
      '      ~ Modify      Microsoft.Web/sites/logic-a (properties.httpsOnly)',
      '      + Create      Microsoft.Insights/actionGroups/ag',
      '    Summary: 1 Modify, 1 NoChange, 1 Create.',
    ]);
    expect(predictsChanges(result)).toBe(true);
    expect(predictsChanges({ changes: [{ changeType: 'NoChange' }, { changeType: 'Ignore' }] })).toBe(false);
  });
});
