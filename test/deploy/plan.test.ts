import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../scripts/deploy/main.js';
import { stepsFor } from '../../scripts/deploy/steps/index.js';
import { BASE_ARGS, FAKE_AZ_DIR, REPO } from './support.js';

/**
 * --plan prints every command of a first deployment, in order, one per line, and runs none: az (the recording
 * stand-in first on PATH) must not be started at all, so no sign-in is needed.
 */
/** A Graph POST in the plan; the URL is quoted when it holds a <placeholder>. */
const GRAPH_POST = /^apply {2}az rest --method post --url '?https:\/\/graph\.microsoft\.com\//;
let dir: string;
let lines: string[];
let exitCode: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deploy-plan-'));
  const log = join(dir, 'az-log.jsonl');
  await writeFile(log, '');
  lines = [];
  exitCode = await deploy([...BASE_ARGS, '--plan'], {
    root: REPO,
    env: { ...process.env, PATH: `${FAKE_AZ_DIR}${delimiter}${process.env.PATH ?? ''}`, FAKE_AZ_LOG: log, FAKE_AZ_STATE: join(dir, 'none.json') },
    io: { out: (l) => lines.push(l), confirm: () => Promise.reject(new Error('--plan never asks')) },
    local: { pack: () => Promise.reject(new Error('--plan never builds')) },
    sleep: () => Promise.reject(new Error('--plan never waits')),
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run deploy -- --plan', () => {
  it('runs no az command and builds nothing', async () => {
    expect(exitCode).toBe(0);
    expect(await readFile(join(dir, 'az-log.jsonl'), 'utf8')).toBe('');
  });

  it('prints one header per step, in the order of the step list', () => {
    const headers = lines.filter((l) => l.startsWith('# ['));
    expect(headers.map((h) => h.replace(/^# \[[ \d]+\/\d+\] /, ''))).toEqual(stepsFor('customer').map((s) => s.title));
  });

  it('prints every command on one line, marked check (reads), apply (changes), local or manual', () => {
    const body = lines.filter((l) => !l.startsWith('#'));
    for (const line of body) expect(line).toMatch(/^(check|apply|local|manual) /);
    for (const line of body.filter((l) => /^(check|apply) /.test(l))) expect(line).toMatch(/^(check|apply) {2}az .* --only-show-errors -o json$/);
    // The whole deployment, in order.
    const order = [
      'apply  az group create',
      'apply  az ad app create',
      "apply  az ad app update --id '<helpersAppId>' --identifier-uris 'api://<helpersAppId>'",
      "apply  az ad sp create --id '<helpersAppId>'",
      'check  az resource list --resource-group rg-thread-contoso --resource-type Microsoft.KeyVault/vaults',
      'apply  az deployment group create',
      'local  node dist/scripts/pack.js',
      'apply  az functionapp deployment source config-zip',
      'apply  az logicapp deployment source config-zip',
      'apply  az rest --method put',
      'apply  az rest --method post --url https://graph.microsoft.com/',
      'manual Authorise the Office 365 connection',
      'check  az rest --method post --url',
    ];
    let at = -1;
    for (const start of order) {
      const next = lines.findIndex((l, i) => i > at && l.startsWith(start));
      expect(next, start).toBeGreaterThan(at);
      at = next;
    }
    expect(lines.at(-1)).toMatch(/listCallbackUrl\?api-version=2024-04-01' --only-show-errors -o json$/);
    expect(lines.at(-1)).toContain('/workflows/thread-webhook/triggers/manual/');
  });

  it('passes the Bicep parameters, with <placeholders> for values only a real run knows', () => {
    const create = lines.find((l) => l.startsWith('apply  az deployment group create')) ?? '';
    expect(create).toContain('--template-file infra/main.bicep');
    expect(create).toContain("'helpersAppClientId=<helpersAppId>'");
    expect(create).toContain('createStatusSigningKey=true');
    // A first deployment: the Logic App is created with its settings (infra/README.md, "App settings: merged, never replaced").
    expect(create).toContain('logicAppExists=false');
    expect(lines.findIndex((l) => l.includes('--resource-type Microsoft.Web/sites'))).toBeLessThan(lines.findIndex((l) => l.startsWith('apply  az deployment group create')));
    expect(create).toContain('exchangeOrganization=contoso.onmicrosoft.com');
  });

  it('turns every grant of infra/permissions.json into a command (app roles, directory roles) or the manual step (delegated)', async () => {
    const manifest = JSON.parse(await readFile(join(REPO, 'infra/permissions.json'), 'utf8')) as {
      identities: Array<{ id: string; modes: string[] }>;
      grants: Array<{ identity: string; kind: string; id: string; value: string }>;
    };
    const customer = new Set(manifest.identities.filter((i) => i.modes.includes('customer')).map((i) => i.id));
    const principal: Record<string, string> = { logicApp: '<logicAppPrincipalId>', helpers: '<helpersPrincipalId>', automation: '<automationPrincipalId>' };
    const grants = manifest.grants.filter((g) => customer.has(g.identity));
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      if (grant.kind === 'delegated') {
        expect(lines.find((l) => l.startsWith('manual ')), grant.value).toContain(grant.value);
        continue;
      }
      const body = grant.kind === 'appRole' ? `"appRoleId":"${grant.id}"` : `"roleDefinitionId":"${grant.id}"`;
      const line = lines.find((l) => GRAPH_POST.test(l) && l.includes(body));
      expect(line, `${grant.identity} ${grant.value}`).toBeDefined();
      expect(line).toContain(`"principalId":"${principal[grant.identity]}"`);
    }
    // Grants of other modes (the optional app registration) are not part of a customer deployment.
    const otherModes = manifest.grants.filter((g) => !customer.has(g.identity));
    const posts = lines.filter((l) => GRAPH_POST.test(l));
    expect(posts).toHaveLength(grants.filter((g) => g.kind !== 'delegated').length);
    expect(otherModes.every((g) => g.identity !== 'logicApp')).toBe(true);
  });

  it('uploads and publishes every runbooks/*.ps1', async () => {
    const { readdir } = await import('node:fs/promises');
    const names = (await readdir(join(REPO, 'runbooks'))).filter((f) => f.endsWith('.ps1')).map((f) => f.slice(0, -4));
    for (const name of names) {
      expect(lines.some((l) => l.startsWith('apply  az rest --method put') && l.includes(`/runbooks/${name}/draft/content?api-version=2024-10-23`) && l.includes(`--body @runbooks/${name}.ps1`))).toBe(true);
      expect(lines.some((l) => l.startsWith('apply  az rest --method post') && l.includes(`/runbooks/${name}/publish?api-version=2024-10-23`))).toBe(true);
    }
  });

  it('with --what-if, lists Azure’s what-if before the deployment', async () => {
    const out: string[] = [];
    await deploy([...BASE_ARGS, '--plan', '--what-if'], {
      root: REPO,
      io: { out: (l) => out.push(l), confirm: () => Promise.reject(new Error('never')) },
      local: { pack: () => Promise.reject(new Error('never')) },
    });
    const whatIf = out.findIndex((l) => l.startsWith('check  az deployment group what-if'));
    expect(whatIf).toBeGreaterThan(0);
    expect(out[whatIf + 1]).toMatch(/^apply {2}az deployment group create/);
  });

  it(`is ${'this'} long (reported by the deploy helper)`, () => {
    // Not a limit: printed so a reviewer sees the size of a deployment at a glance.
    console.info(`plan: ${lines.length} lines, ${lines.filter((l) => /^(check|apply|local|manual) /.test(l)).length} commands`);
  });
});
