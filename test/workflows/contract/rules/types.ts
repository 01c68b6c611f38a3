import type { ContractProblem } from '../problem.js';
import type { ContractProject, WorkflowDocument } from '../project.js';

/** A rule checked on every workflow.json present; `id` is the tag shown in every failure message. */
export interface WorkflowRule {
  id: string;
  title: string;
  check(workflow: WorkflowDocument, project: ContractProject): ContractProblem[];
}

/** A rule over the project's shared files (connections.json, parameters*.json, lib/functions). */
export interface ProjectRule {
  id: string;
  title: string;
  check(project: ContractProject): ContractProblem[];
}
