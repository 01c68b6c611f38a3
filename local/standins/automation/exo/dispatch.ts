import { ExchangeCmdletError, type ExchangeErrorShape } from '../exchange-errors.js';
import type { ExchangeModel } from '../exchange-model.js';
import { commandNotFound, type ExchangeSession } from './access.js';
import { findCmdlet } from './cmdlets.js';
import type { ExoObject } from './objects.js';
import { CmdletParameters } from './parameters.js';

/** Runs one cmdlet for a connected session: `{output}` or the cmdlet's error as the stub module rebuilds it. */
export type CmdletAnswer = { output: ExoObject[] } | { error: ExchangeErrorShape };

export function invokeCmdlet(ex: ExchangeModel, session: ExchangeSession, cmdlet: string, parameters: Record<string, unknown>): CmdletAnswer {
  const found = findCmdlet(cmdlet);
  try {
    // EXO only exposes the cmdlets the identity's role allows; unknown ones fail the same way.
    if (!found || (found.spec.write && !session.canWrite)) throw commandNotFound(found?.name ?? cmdlet);
    const output = found.spec.run(ex, new CmdletParameters(found.name, parameters, found.spec.parameters));
    // Objects cross the wire as JSON; a deep copy keeps callers away from the model's state.
    return { output: structuredClone(output) };
  } catch (err) {
    if (err instanceof ExchangeCmdletError) return { error: err.toJSON() };
    throw err;
  }
}
