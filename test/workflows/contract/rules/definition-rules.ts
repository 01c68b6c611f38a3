import { checkDefinitionRules } from '../../../../local/runtime/project/definition-rules.js';
import type { ContractProblem } from '../problem.js';
import type { WorkflowRule } from './types.js';

/**
 * Azure's documented definition rules (limits page, inline-code dependencies, Response placement),
 * checked by the same module the local runtime uses to refuse a workflow at load
 * (local/runtime/project/definition-rules.ts), so CI and `npm start` name the same rule and Learn page.
 */
export const definitionRulesRule: WorkflowRule = {
  id: 'azure-definition-rules',
  title: "Azure's documented definition rules and limits",
  check(wf) {
    return checkDefinitionRules(wf.file, wf.json, { workflowName: wf.name }).map((p): ContractProblem => {
      const message = p.trigger !== undefined ? `trigger '${p.trigger}': ${p.message}` : p.message;
      const rule = `${this.id}/${p.ruleId}`;
      return p.action !== undefined ? { file: p.file, action: p.action, rule, message } : { file: p.file, rule, message };
    });
  },
};
