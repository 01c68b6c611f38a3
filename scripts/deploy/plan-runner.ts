import { formatCommand } from './command-line.js';
import { AZ_COMMON_ARGS } from './az-cli.js';
import type { CallOptions, Runner } from './runner.js';

/**
 * --plan: records every command a first deployment runs, in order, and runs none of them. Checks answer with the
 * step's `plan` value (what Azure answers when nothing exists yet), so each step takes its "create" path and the
 * plan lists the whole deployment. Needs no sign-in: az is never started.
 */
export class PlanRunner implements Runner {
  readonly planning = true;

  constructor(private readonly print: (line: string) => void) {}

  check(args: readonly string[], options?: CallOptions): Promise<unknown> {
    this.print(`check  ${formatCommand('az', [...args, ...AZ_COMMON_ARGS])}`);
    return Promise.resolve(options?.plan);
  }

  checkOptional(args: readonly string[], options?: CallOptions): Promise<unknown> {
    return this.check(args, options);
  }

  apply(args: readonly string[], options?: CallOptions): Promise<unknown> {
    this.print(`apply  ${formatCommand('az', [...args, ...AZ_COMMON_ARGS])}`);
    return Promise.resolve(options?.plan);
  }

  local<T>(display: string, _action: () => Promise<T>, planResult: T): Promise<T> {
    this.print(`local  ${display}`);
    return Promise.resolve(planResult);
  }
}
