import { ownedParts } from '../own-expressions.js';
import { problemSink, type ContractProblem } from '../problem.js';
import { definitionOf } from '../project.js';
import { findLiteralSecrets } from '../secret-patterns.js';
import type { ProjectRule, WorkflowRule } from './types.js';

/** Secrets come from Key Vault, app settings or managed identity at run time, never from the files. */
export const workflowSecretsRule: WorkflowRule = {
  id: 'no-literal-secret',
  title: 'no literal password, key or token in the workflow',
  check(wf) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const part of ownedParts(definitionOf(wf))) {
      for (const f of findLiteralSecrets(part.value)) add(`${f.path || '(value)'} holds ${f.reason}`, part.name);
    }
    return problems;
  },
};

export const projectSecretsRule: ProjectRule = {
  id: 'no-literal-secret',
  title: 'no literal password, key or token in connections.json or parameters*.json',
  check(project) {
    const problems: ContractProblem[] = [];
    for (const doc of [...(project.connections ? [project.connections] : []), ...project.parameterFiles]) {
      const { problems: found, add } = problemSink(doc.file, this.id);
      for (const f of findLiteralSecrets(doc.json)) add(`${f.path || '(value)'} holds ${f.reason}`);
      problems.push(...found);
    }
    return problems;
  },
};
