/**
 * The three ways `npm run deploy` stops, each carrying what the technician needs to act on it.
 * Exit codes: 2 = the command line is wrong (nothing was run), 1 = a step failed (re-run after fixing).
 */

/** Something in the command line is wrong or missing. Every problem names the option and what to do. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** `az` ran and failed (non-zero exit code), or could not be started at all. */
export class AzCommandError extends Error {
  override readonly name = 'AzCommandError';
  constructor(
    /** The arguments after `az`, exactly as passed (the command never carries a secret; see command-line.ts). */
    readonly args: readonly string[],
    /** az's exit code; 3 means "not found" on show commands (https://github.com/Azure/azure-cli/issues/6612). */
    readonly exitCode: number | string,
    readonly stderr: string,
  ) {
    super(`az exited with ${String(exitCode)}: ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** A step could not finish; `hint` says what to fix before running the same command again. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(
    readonly step: string,
    readonly reason: string,
    readonly hint: string,
    /** The command that failed, as shown to the technician (secrets redacted), when a command failed. */
    readonly command?: string,
    readonly stderr?: string,
  ) {
    super(`${step}: ${reason}`);
  }
}

/** A step found something it cannot fix by itself (wrong tenant, duplicates, manifest mismatch). */
export class DeployProblem extends Error {
  override readonly name = 'DeployProblem';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
