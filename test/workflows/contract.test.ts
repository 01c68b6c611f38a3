import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem } from './contract/problem.js';
import { loadContractProject } from './contract/project.js';
import { projectRules, workflowRules } from './contract/rules/index.js';

/**
 * Static contract of the deployable Logic App: every workflows/<name>/workflow.json present (read at
 * test time, so new workflows are covered without editing this file) against every rule in
 * ./contract/rules. Pure file reading: no runtime, no servers. A failure lists
 * "<file> › <action> [<rule>] <what is wrong>".
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const project = loadContractProject(root);

describe('workflow contract', () => {
  it('finds the workflows to check', () => {
    expect(project.workflows.map((w) => w.name)).toContain('thread-webhook');
    expect(project.functions.routes.length).toBeGreaterThan(0);
  });

  describe.each(project.workflows.map((w) => [w.name, w] as const))('%s', (_name, workflow) => {
    it.each(workflowRules.map((r) => [r.title, r] as const))('%s', (_title, rule) => {
      expect(rule.check(workflow, project).map(formatProblem)).toEqual([]);
    });
  });

  describe('project files', () => {
    it.each(projectRules.map((r) => [r.title, r] as const))('%s', (_title, rule) => {
      expect(rule.check(project).map(formatProblem)).toEqual([]);
    });
  });
});
