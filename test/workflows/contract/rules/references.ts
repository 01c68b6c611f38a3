import { listActions } from '../action-tree.js';
import { isRecord, recordAt, stringAt } from '../json.js';
import { problemSink } from '../problem.js';
import { connectionNames, definitionOf } from '../project.js';
import type { WorkflowRule } from './types.js';

/** What actions point at outside themselves: connections, child workflows, inline-code sources. */
const MANAGED_TYPES = new Set(['apiconnection', 'apiconnectionwebhook']);

export const managedConnectionsRule: WorkflowRule = {
  id: 'managed-connection',
  title: 'managed actions use host.connection.referenceName (no $connections); connections exist',
  check(wf, project) {
    const { problems, add } = problemSink(wf.file, this.id);
    const definition = definitionOf(wf);
    if (isRecord(definition.parameters) && '$connections' in definition.parameters) add('declares the $connections parameter: Standard workflows use referenceName');
    const managed = connectionNames(project, 'managedApiConnections');
    const providers = connectionNames(project, 'serviceProviderConnections');
    for (const entry of listActions(definition)) {
      const type = entry.type.toLowerCase();
      if (JSON.stringify(entry.def.inputs ?? {}).includes('$connections')) add("inputs mention $connections: use host.connection.referenceName", entry.name);
      if (MANAGED_TYPES.has(type)) {
        const ref = stringAt(entry.def, 'inputs', 'host', 'connection', 'referenceName');
        if (ref === undefined) add('managed connector action needs inputs.host.connection.referenceName', entry.name);
        else if (!managed.has(ref)) add(`referenceName '${ref}' is not in connections.json managedApiConnections`, entry.name);
      }
      if (type === 'serviceprovider') {
        const name = stringAt(entry.def, 'inputs', 'serviceProviderConfiguration', 'connectionName');
        if (name === undefined) add('ServiceProvider action needs inputs.serviceProviderConfiguration.connectionName', entry.name);
        else if (!providers.has(name)) add(`connectionName '${name}' is not in connections.json serviceProviderConnections`, entry.name);
      }
    }
    return problems;
  },
};

export const workflowActionsRule: WorkflowRule = {
  id: 'workflow-action',
  title: 'Workflow actions have type "Workflow" and name an existing workflow folder',
  check(wf, project) {
    const { problems, add } = problemSink(wf.file, this.id);
    const folders = new Set(project.workflows.map((w) => w.name));
    for (const entry of listActions(definitionOf(wf))) {
      const target = recordAt(entry.def, 'inputs', 'host', 'workflow');
      const isWorkflowType = entry.type === 'Workflow';
      if (!target && !isWorkflowType && entry.type.toLowerCase() !== 'invokeworkflow') continue;
      if (!isWorkflowType) add(`type must be "Workflow" (found "${entry.type}")`, entry.name);
      const id = target && typeof target.id === 'string' ? target.id : undefined;
      if (id === undefined) add('inputs.host.workflow.id must name the child workflow folder', entry.name);
      else if (id === wf.name) add(`calls its own workflow '${id}'`, entry.name);
      else if (!folders.has(id)) add(`inputs.host.workflow.id '${id}' is not a folder under workflows/ (have: ${[...folders].join(', ')})`, entry.name);
    }
    return problems;
  },
};

export const inlineSourceRule: WorkflowRule = {
  id: 'inline-source',
  title: 'JavaScriptCode actions name an existing lib/inline/*.ts in metadata.inlineSource',
  check(wf, project) {
    const { problems, add } = problemSink(wf.file, this.id);
    for (const entry of listActions(definitionOf(wf))) {
      if (entry.type.toLowerCase() !== 'javascriptcode') continue;
      const source = stringAt(entry.def, 'metadata', 'inlineSource');
      if (source === undefined) add('needs metadata.inlineSource naming its lib/inline/*.ts module (the code is generated, never hand-edited)', entry.name);
      else if (!project.inlineSources.has(source)) add(`metadata.inlineSource '${source}' is not a file under lib/inline/`, entry.name);
    }
    return problems;
  },
};
