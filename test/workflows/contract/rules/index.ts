import { definitionRulesRule } from './definition-rules.js';
import { dryRunGuardRule } from './dry-run-guard.js';
import { functionRegistrationsRule } from './functions.js';
import { graphCallsRule } from './graph-calls.js';
import { helperCallsRule } from './helper-calls.js';
import { actionNamingRule, runAfterCasingRule } from './naming.js';
import { connectionsRule, parameterFilesRule, workflowParametersRule } from './parameters.js';
import { inlineSourceRule, managedConnectionsRule, workflowActionsRule } from './references.js';
import { projectSecretsRule, workflowSecretsRule } from './secrets.js';
import { securePasswordsRule } from './secure-passwords.js';
import { trackedPropertiesRule } from './tracked-properties.js';
import { foreachConcurrencyRule, initializeVariableRule, responsePlacementRule, singleTriggerRule } from './structure.js';
import type { ProjectRule, WorkflowRule } from './types.js';

export type { ProjectRule, WorkflowRule } from './types.js';

/** Every rule checked on each workflow.json. */
export const workflowRules: readonly WorkflowRule[] = [
  singleTriggerRule,
  helperCallsRule,
  graphCallsRule,
  workflowParametersRule,
  managedConnectionsRule,
  initializeVariableRule,
  responsePlacementRule,
  workflowActionsRule,
  foreachConcurrencyRule,
  runAfterCasingRule,
  actionNamingRule,
  dryRunGuardRule,
  workflowSecretsRule,
  securePasswordsRule,
  inlineSourceRule,
  trackedPropertiesRule,
  definitionRulesRule,
];

/** Rules over the shared project files. */
export const projectRules: readonly ProjectRule[] = [parameterFilesRule, connectionsRule, projectSecretsRule, functionRegistrationsRule];
