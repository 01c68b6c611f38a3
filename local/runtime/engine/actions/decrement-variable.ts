import { changeVariable } from './increment-variable.js';
import type { ActionExecutor } from './types.js';

/** DecrementVariable: IncrementVariable with the opposite sign. */
export const decrementVariable: ActionExecutor = (ctx) => changeVariable(ctx, -1);
