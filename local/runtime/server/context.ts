import type { HistoryStore, LoadedWorkflow, WorkflowEngine } from '../model.js';
import type { AccessKeys } from './access-keys.js';

/** What every request handler of the runtime server needs. */
export interface ServerContext {
  engine: WorkflowEngine;
  history: HistoryStore;
  keys: AccessKeys;
  /** Public base URL (scheme://host:port) for callback URLs, content links and Locations. */
  baseUrl(): string;
  /** Largest trigger request body accepted. */
  maxBodyBytes: number;
  /** False once the runtime is stopping: new trigger calls are refused so in-flight runs can drain. */
  accepting: boolean;
}

/** Workflow names are case-insensitive on the host, as in Azure. */
export function findWorkflow(ctx: ServerContext, name: string): LoadedWorkflow | undefined {
  const exact = ctx.engine.project.workflows.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const wf of ctx.engine.project.workflows.values()) if (wf.name.toLowerCase() === lower) return wf;
  return undefined;
}
