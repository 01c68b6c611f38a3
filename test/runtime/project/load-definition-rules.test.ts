import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, ProjectValidationError } from '../../../local/runtime/project/index.js';
import { harness, request, runToEnd } from '../engine/helpers.js';

/**
 * The loader refuses what Azure refuses at save, naming the file, the action and the documented rule
 * with its Learn page (rules and sources: local/runtime/project/definition-limits.ts), and reports
 * every problem at once.
 */
type Json = Record<string, unknown>;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'definition-rules-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function project(name: string, workflows: Record<string, Json>): Promise<string> {
  const dir = join(root, name);
  await mkdir(join(dir, 'workflows'), { recursive: true });
  await writeFile(join(dir, 'host.json'), JSON.stringify({ version: '2.0' }));
  for (const [wf, actions] of Object.entries(workflows)) {
    await mkdir(join(dir, 'workflows', wf), { recursive: true });
    const definition = { triggers: { manual: { type: 'Request', kind: 'Http', inputs: {} } }, actions };
    await writeFile(join(dir, 'workflows', wf, 'workflow.json'), JSON.stringify({ definition, kind: 'Stateful' }));
  }
  return dir;
}

async function problemsOf(dir: string): Promise<ProjectValidationError> {
  try {
    await loadProject(dir, { appSettings: {} });
  } catch (err) {
    if (err instanceof ProjectValidationError) return err;
    throw err;
  }
  throw new Error('expected a ProjectValidationError');
}

const compose = (extra: Json = {}): Json => ({ type: 'Compose', inputs: 1, runAfter: {}, ...extra });

describe('loadProject and Azure definition rules', () => {
  it('refuses a 9,011-character expression, an 81-character name, 9 nested scopes and a Response in a parallel branch, all at once', async () => {
    let nested: Json = {};
    for (let i = 9; i >= 1; i--) nested = { [`Scope_${i}`]: { type: 'Scope', actions: nested, runAfter: {} } };
    const longName = `Send_${'x'.repeat(76)}`;
    const dir = await project('broken', {
      limits: {
        Build_text: compose({ inputs: `@concat('${'a'.repeat(9_000)}')` }),
        [longName]: compose({ runAfter: { Build_text: ['Succeeded'] } }),
        ...nested,
      },
      placement: {
        Plan: compose(),
        Reply: { type: 'Response', kind: 'Http', inputs: { statusCode: 200 }, runAfter: { Plan: ['Succeeded'] } },
        Write_change: compose({ runAfter: { Plan: ['Succeeded'] } }),
      },
    });
    const err = await problemsOf(dir);
    const limits = 'https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#definition-limits';
    expect(err.problems.map((p) => [p.file, p.action, p.rule, p.source])).toEqual([
      ['workflows/limits/workflow.json', 'Build_text', 'Expression character limit', limits],
      ['workflows/limits/workflow.json', longName, 'Single trigger or action - maximum name length', limits],
      ['workflows/limits/workflow.json', 'Scope_9', 'Actions nesting depth', limits],
      ['workflows/placement/workflow.json', 'Reply', 'Response action - not in parallel branches', 'https://learn.microsoft.com/azure/connectors/connectors-native-reqres#add-response'],
    ]);
    expect(err.message).toContain(
      `workflows/limits/workflow.json: action 'Build_text': the expression in inputs has 9011 characters, more than 8192; Azure refuses this (rule "Expression character limit", ${limits})`,
    );
    expect(err.message).toContain("workflows/placement/workflow.json: action 'Reply': this Response is in a parallel branch: it can run at the same time as 'Write_change'");
  });

  it('refuses a loop named as an explicit dependency of inline code (https://learn.microsoft.com/azure/logic-apps/add-run-javascript#add-parameters)', async () => {
    const dir = await project('inline', {
      code: {
        Wait_for_user: { type: 'Until', expression: '@true', limit: { count: 2 }, actions: { Read_user: compose() }, runAfter: {} },
        Summarise: { type: 'JavaScriptCode', inputs: { code: 'return 1;', explicitDependencies: { actions: ['Wait_for_user'] } }, runAfter: { Wait_for_user: ['Succeeded'] } },
      },
    });
    const err = await problemsOf(dir);
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain("workflows/code/workflow.json: action 'Summarise': explicitDependencies names the Until loop 'Wait_for_user'");
  });

  // Undocumented: observed on the real host as accepted, treated as no dependencies.
  it('loads "runAfter": null as no dependencies, and runs that action first', async () => {
    const dir = await project('null-run-after', {
      hello: {
        Say_hello: { type: 'Compose', inputs: 'hello', runAfter: null },
        Reply: { type: 'Response', kind: 'Http', inputs: { statusCode: 200, body: "@outputs('Say_hello')" }, runAfter: { Say_hello: ['Succeeded'] } },
      },
    });
    const loaded = await loadProject(dir, { appSettings: {} });
    const h = harness(loaded);
    const { run, response } = await runToEnd(h, 'hello', request({}));
    expect(run.status).toBe('Succeeded');
    expect(response).toMatchObject({ statusCode: 200, body: 'hello' });
  });
});
