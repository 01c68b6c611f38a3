import type { ExchangeModel } from '../exchange-model.js';

/** What a runbook model declares about a parameter, mirroring its PowerShell param() block. */
export interface ParameterSpec {
  name: string;
  type: 'string' | 'bool';
  mandatory: boolean;
  /** [ValidateNotNullOrEmpty()]: an empty value fails with that attribute's message. */
  notNullOrEmpty?: boolean;
  /** [ValidateSet(...)]: compared case-insensitively; the value keeps the caller's casing, as in PowerShell. */
  validateSet?: readonly string[];
  /** Default when not passed (only for optional parameters). */
  default?: string | boolean;
}

export type BoundParameters = Record<string, string | boolean | undefined>;

/** An Automation variable's value as Get-AutomationVariable returns it (variables hold JSON values). */
export type AutomationVariableValue = string | boolean | number;

export interface RunbookContext {
  /** Exchange as the connected session sees it (read-only roles cannot write; exo/write-gate.ts). */
  exchange: ExchangeModel;
  /** Automation account variables (Get-AutomationVariable). */
  variables: Readonly<Record<string, AutomationVariableValue>>;
  /**
   * Connect-ExchangeOnline -ManagedIdentity -Organization: throws the error Exchange Online gives when the
   * identity lacks Exchange.ManageAsApp or an Exchange role, or names another organization (exo/access.ts).
   */
  connect(organization: string): void;
  /** Write-Output: one line of the job's Output stream. */
  output(line: string): void;
  /** Write-Warning: a line of the job's Warning stream. */
  warning(line: string): void;
}

export interface RunbookResult {
  outcome: 'applied' | 'already_satisfied';
  action: string;
  message: string;
  details: Record<string, unknown>;
}

export interface RunbookModel {
  /** Runbook name as published in the Automation account (and the .ps1 file name). */
  name: string;
  parameters: readonly ParameterSpec[];
  /** Throws (ExchangeCmdletError or RunbookError) to fail the job; returns the RESULT payload. */
  run(params: BoundParameters, ctx: RunbookContext): RunbookResult;
}

/** A failure the runbook itself raises with `throw "..."`. */
export class RunbookError extends Error {
  override readonly name = 'RunbookError';
}

/** The RESULT line every runbook writes last; workflows parse it, so key order and compact JSON are fixed. */
export function resultLine(result: RunbookResult): string {
  const ordered = { outcome: result.outcome, action: result.action, message: result.message, details: result.details };
  return `RESULT: ${JSON.stringify(ordered)}`;
}

/**
 * The RESULT line a failing runbook writes last before it throws (the trap in runbooks/shared/ExchangeConnection.ps1):
 * the job still ends Failed with the same exception; `exchangeConnected` is false when it failed before
 * Connect-ExchangeOnline succeeded. Exchange Online PowerShell's "Ex<hex>|<exception type>|" message prefix is left out,
 * as the runbook does (this stand-in never adds one; kept for parity with the script).
 */
export function failedResultLine(message: string, exchangeConnected: boolean): string {
  const failure = { outcome: 'failed', message: message.replace(/^Ex[0-9A-Fa-f]+\|[^|]*\|/, ''), details: { exchangeConnected } };
  return `RESULT: ${JSON.stringify(failure)}`;
}
