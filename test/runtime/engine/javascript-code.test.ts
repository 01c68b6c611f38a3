import { describe, expect, it } from 'vitest';
import { harness, projectOf, request, runToEnd } from './helpers.js';

function js(code: string) {
  return { type: 'JavaScriptCode', inputs: { code } };
}

describe('engine: JavaScriptCode sandbox', () => {
  it('returns values from workflowContext as outputs.body', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Prev: { type: 'Compose', inputs: { n: 21 } },
            Code: { ...js("const n = workflowContext.actions['Prev'].outputs.n;\nreturn { doubled: n * 2, upn: workflowContext.trigger.outputs.body.upn, wf: workflowContext.workflow.name, run: workflowContext.workflow.run.name };"), runAfter: { Prev: ['Succeeded'] } },
            Async: js('const v = await Promise.resolve(5); return v + 1;'),
          },
        },
      }),
    );
    const { actions, run } = await runToEnd(h, 'wf', request({ upn: 'ada@contoso.com' }));
    expect(actions.Code?.outputs).toEqual({ body: { doubled: 42, upn: 'ada@contoso.com', wf: 'wf', run: run.name } });
    expect(actions.Async?.outputs).toEqual({ body: 6 });
  });

  it('has no require, process, import or host escape, and a read-only context', async () => {
    const h = harness(
      projectOf({
        wf: {
          actions: {
            Require: js("return require('fs');"),
            Process: js('return process.env;'),
            Import: js("const m = await import('node:fs'); return 1;"),
            Escape: js("return workflowContext.constructor.constructor('return process')().pid;"),
            Mutate: js("workflowContext.trigger.name = 'changed'; return 1;"),
            Deep: js("workflowContext.trigger.outputs.body.upn = 'x'; return workflowContext.trigger.outputs.body.upn;"),
            Throws: js("throw new Error('user not found');"),
          },
        },
      }),
    );
    const { actions } = await runToEnd(h, 'wf', request({ upn: 'ada' }));
    expect(actions.Require?.status).toBe('Failed');
    expect(actions.Require?.error?.message).toContain('require is not defined');
    expect(actions.Process?.error?.message).toContain('process is not defined');
    expect(actions.Import?.status).toBe('Failed');
    expect(actions.Escape?.status).toBe('Failed');
    expect(actions.Mutate?.status).toBe('Failed');
    expect(actions.Mutate?.error?.message).toMatch(/read only|read-only|Cannot assign/i);
    expect(actions.Deep?.status).toBe('Failed');
    expect(actions.Throws?.error?.message).toBe("The inline code of action 'Throws' failed: user not found");
  });

  it('stops code that runs past the time limit', async () => {
    const h = harness(projectOf({ wf: { actions: { Loop: js('while (true) {}'), AsyncLoop: js('await null; while (true) {}') } } }), { limits: { javaScriptTimeoutMs: 100 } });
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Loop?.status).toBe('Failed');
    expect(actions.Loop?.code).toBe('InlineCodeTimedOut');
    expect(actions.AsyncLoop?.code).toBe('InlineCodeTimedOut');
  });

  it('refuses code over 100,000 characters', async () => {
    const h = harness(projectOf({ wf: { actions: { Big: js(`return 1;//${'x'.repeat(100_000)}`) } } }));
    const { actions } = await runToEnd(h, 'wf');
    expect(actions.Big?.code).toBe('InlineCodeTooLarge');
  });
});

describe('engine: JavaScriptCode runs off the runtime thread', () => {
  it('a script spinning until the time limit never stalls another run (https://learn.microsoft.com/azure/logic-apps/logic-apps-limits-and-config#inline-code-action-limits: 15 s single-tenant)', async () => {
    const h = harness(
      projectOf({ spin: { actions: { Loop: js('while (true) {}') } }, quick: { actions: { One: { type: 'Compose', inputs: 1 }, Code: js('return 2;') } } }),
      { limits: { javaScriptTimeoutMs: 1500 } },
    );
    let spinDone = false;
    const spin = h.engine.start('spin', 'manual', request({}));
    void spin.completed.then(() => {
      spinDone = true;
    });
    // The spinning script has started in its worker; this thread still runs other work meanwhile.
    await new Promise((r) => setTimeout(r, 20));
    const quick = await runToEnd(h, 'quick');
    expect(quick.actions.Code?.outputs).toEqual({ body: 2 });
    expect(spinDone).toBe(false);
    const spun = await spin.completed;
    expect(h.history.listActions('spin', spun.name)[0]).toMatchObject({ status: 'Failed', code: 'InlineCodeTimedOut' });
  });
});
