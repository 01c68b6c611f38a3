/**
 * The one seam between the deploy steps and the outside world. Steps say what a command is for:
 * - `check`: reads the current state and changes nothing (re-runs use it to skip what is already right);
 * - `apply`: changes something in Azure or Entra ID;
 * - `local`: builds something on this machine (packages, zips).
 * The same step code runs against two implementations: `AzCliRunner` (az-cli.ts) runs the commands, and
 * `PlanRunner` (plan-runner.ts) only prints them, answering every check as "not there yet" so the plan shows a
 * first deployment from scratch.
 */
export interface CallOptions {
  /**
   * What the step should see in --plan, where nothing runs: usually the answer Azure gives on a first
   * deployment, with <placeholders> for values only a real run knows (e.g. { appId: '<helpersAppId>' }).
   */
  plan?: unknown;
}

export interface Runner {
  /** True in --plan: steps must not wait, prompt, or depend on real answers. */
  readonly planning: boolean;
  /** Runs an az command that reads state. Returns the parsed JSON answer, the raw text, or undefined when empty. */
  check(args: readonly string[], options?: CallOptions): Promise<unknown>;
  /** Like `check`, but "not found" (az exit code 3, or a 404 from `az rest`) answers undefined instead of failing. */
  checkOptional(args: readonly string[], options?: CallOptions): Promise<unknown>;
  /** Runs an az command that changes something. */
  apply(args: readonly string[], options?: CallOptions): Promise<unknown>;
  /** Runs something on this machine; `display` is the command line shown in the plan. */
  local<T>(display: string, action: () => Promise<T>, planResult: T): Promise<T>;
}
