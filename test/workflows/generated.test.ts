import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BUILD_COMMAND,
  expandFragment,
  expandTemplate,
  generateWorkflows,
  generatedNote,
  markerFragment,
  placeActions,
  readSources,
  resolveActionMap,
  withoutGeneratedNote,
  type FragmentFile,
} from '../../scripts/workflows/generate.js';
import { deriveGroupMembership } from '../../scripts/workflows/derive-group-membership.js';
import { PlaceholderError, expandPlaceholders, placeholdersIn } from '../../scripts/workflows/placeholders.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('generated workflows (scripts/workflows: templates and fragments, docs/workflow-design.md "Generated parts")', () => {
  it('every workflow is what its template and fragments generate', async () => {
    const generated = await generateWorkflows(ROOT);
    const stale = generated.filter((g) => g.text !== g.current).map((g) => `workflows/${g.workflow} (from ${g.sources.join(', ')})`);
    expect(
      stale,
      `These workflows differ from what scripts/workflows generates. If you changed a generated action (its description ends with ` +
        `"Generated from …"), make the change in that template or fragment instead; then run ${BUILD_COMMAND}.`,
    ).toEqual([]);
  });

  it('add-user-to-group and remove-user-from-group both come from templates/group-membership.json', async () => {
    const generated = await generateWorkflows(ROOT);
    for (const workflow of ['add-user-to-group', 'remove-user-from-group']) {
      expect(generated.find((g) => g.workflow === workflow)?.sources).toContain('scripts/workflows/templates/group-membership.json');
    }
  });

  it('every child workflow takes its dispatch check, answer and end from the fragments', async () => {
    const { uses } = await readSources(ROOT);
    for (const [workflow, use] of Object.entries(uses)) {
      expect(use.fragments, workflow).toContain('child-dispatch');
      expect(use.fragments, workflow).toContain('child-end');
      expect(use.fragments.filter((f) => f === 'child-answer' || f === 'child-answer-after-accepted'), workflow).toHaveLength(1);
    }
  });

  it('the group-membership template uses every column of its table, and each row fills them all', async () => {
    const { templates } = await readSources(ROOT);
    const groupMembership = templates.get('group-membership');
    const used = [...placeholdersIn(groupMembership?.template ?? null)].sort();
    for (const [workflow, row] of Object.entries(groupMembership?.variants ?? {})) expect(Object.keys(row).sort(), workflow).toEqual(used);
  });

  it('the group-membership template is what add-user-to-group is today (derive-group-membership --check)', async () => {
    expect(await deriveGroupMembership(ROOT, { check: true }), 'run node dist/scripts/workflows/derive-group-membership.js').toEqual([]);
  });

  it('each fragment documents every parameter it uses', async () => {
    const { fragments } = await readSources(ROOT);
    for (const [name, fragment] of fragments) {
      expect([...placeholdersIn(fragment.actions)].sort(), name).toEqual(Object.keys(fragment.parameters).sort());
    }
  });
});

describe('fragment and template expansion', () => {
  const fragment: FragmentFile = {
    about: 'test',
    parameters: { summary: 'summary action', secured: 'optional', note: 'optional text' },
    defaults: { note: '' },
    actions: {
      Respond: {
        type: 'Response',
        description: 'Answers.{{note}}',
        inputs: { body: "@body('{{summary}}')" },
        runAfter: { '{{summary}}': ['Succeeded'] },
        runtimeConfiguration: '{{secured?}}',
      },
    },
  };

  it('fills names in keys and strings, drops an optional member without a value, and marks the action as generated', () => {
    const actions = expandFragment(fragment, 'answer', { summary: 'Summarise_x' });
    expect(actions.Respond).toEqual({
      type: 'Response',
      description: `Answers. ${generatedNote('scripts/workflows/fragments/answer.json')}`,
      inputs: { body: "@body('Summarise_x')" },
      runAfter: { Summarise_x: ['Succeeded'] },
      metadata: { generatedFrom: 'scripts/workflows/fragments/answer.json' },
    });
  });

  it('puts a whole JSON value where the placeholder is the whole string', () => {
    const secured = { secureData: { properties: ['inputs'] } };
    const actions = expandFragment(fragment, 'answer', { summary: 'S', secured, note: ' Secured.' });
    expect(actions.Respond).toMatchObject({ runtimeConfiguration: secured, description: expect.stringMatching(/^Answers\. Secured\. \(generated from/) });
  });

  it('refuses a missing parameter, naming the source', () => {
    expect(() => expandFragment(fragment, 'answer', {})).toThrow(PlaceholderError);
    expect(() => expandPlaceholders({ a: 'x {{gone}}' }, {}, 'scripts/workflows/fragments/f.json')).toThrow(/fragments\/f\.json: no value for \{\{gone\}\}/);
  });

  it('takes a marked action from the fragment it names, with the same parameters and that fragment as its source', () => {
    const inner: FragmentFile = { about: 'inner', parameters: { job: 'job' }, actions: { 'Wait_{{job}}': { type: 'Until', description: 'Waits for {{job}}.' } } };
    const outer: FragmentFile = {
      about: 'outer',
      parameters: { job: 'job' },
      actions: { Loop: { type: 'Foreach', actions: { 'Wait_{{job}}': 'written by scripts/workflows/fragments/inner.json' } } },
    };
    const actions = expandFragment(outer, 'outer', { job: 'add' }, new Map([['inner', inner]]));
    const wait = (actions.Loop as { actions: Record<string, { description: string; metadata: unknown }> }).actions.Wait_add;
    expect(wait?.metadata).toEqual({ generatedFrom: 'scripts/workflows/fragments/inner.json' });
    expect(wait?.description).toBe(`Waits for add. ${generatedNote('scripts/workflows/fragments/inner.json')}`);
    expect(markerFragment('written by scripts/workflows/fragments/inner.json')).toBe('inner');
    expect(() => expandFragment(outer, 'outer', { job: 'add' }, new Map())).toThrow(/fragment 'inner', which does not exist/);
  });

  it('finds the action map a use names: branches by else, default or case name, nested actions by name', () => {
    const definition = {
      actions: {
        Check_dry_run: { type: 'If', actions: {}, else: { actions: { Steps: { type: 'Scope', actions: { Check_x: { type: 'If', actions: { A: {} } } } } } } },
        Route: { type: 'Switch', cases: { Case_a: { actions: { B: {} } } }, default: { actions: { C: {} } } },
      },
    };
    expect(Object.keys(resolveActionMap(definition, undefined)?.get() ?? {})).toEqual(['Check_dry_run', 'Route']);
    expect(Object.keys(resolveActionMap(definition, 'Check_dry_run/else/Steps/Check_x')?.get() ?? {})).toEqual(['A']);
    expect(Object.keys(resolveActionMap(definition, 'Route/Case_a')?.get() ?? {})).toEqual(['B']);
    expect(Object.keys(resolveActionMap(definition, 'Route/default')?.get() ?? {})).toEqual(['C']);
    expect(resolveActionMap(definition, 'Check_dry_run/else/Gone')).toBeUndefined();
    const top = resolveActionMap(definition, undefined);
    top?.set({ Only: {} });
    expect(Object.keys(definition.actions)).toEqual(['Only']);
  });

  it('replaces generated actions where they stand and appends new ones', () => {
    const placed = placeActions({ A: 1, Respond: 'written by …', Z: 2 }, { Respond: 'new', Extra: 'x' });
    expect(Object.keys(placed)).toEqual(['A', 'Respond', 'Z', 'Extra']);
    expect(placed.Respond).toBe('new');
  });

  it('notes the source on a template\'s trigger and in every action\'s metadata, and the note can be taken off again', () => {
    const doc = expandTemplate(
      { definition: { triggers: { manual: { description: 'Called for {{title}}.' } }, actions: { If: { type: 'If', actions: { Inner: { type: 'Compose' } } } } } },
      'group-membership',
      { title: 'Add User to Group' },
    );
    const source = 'scripts/workflows/templates/group-membership.json';
    expect(JSON.stringify(doc)).toContain(`Called for Add User to Group. ${generatedNote(source)}`);
    const inner = (doc.definition as { actions: { If: { actions: { Inner: Record<string, unknown> } } } }).actions.If.actions.Inner;
    expect(inner).toEqual({ type: 'Compose', metadata: { generatedFrom: source } });
    expect(withoutGeneratedNote(`Called. ${generatedNote(source)}`)).toBe('Called.');
  });

  it('refuses a description Azure would refuse (over 256 characters), naming the source', () => {
    const long = { definition: { triggers: {}, actions: { A: { type: 'Compose', description: 'x'.repeat(257) } } } };
    expect(() => expandTemplate(long, 'group-membership', {})).toThrow(/group-membership\.json: the description of A is 257 characters/);
  });
});
