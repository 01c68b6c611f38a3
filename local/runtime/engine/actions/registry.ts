import { apiConnection } from './api-connection.js';
import { appendToArrayVariable } from './append-to-array-variable.js';
import { appendToStringVariable } from './append-to-string-variable.js';
import { compose } from './compose.js';
import { decrementVariable } from './decrement-variable.js';
import { foreach } from './foreach.js';
import { http } from './http.js';
import { ifAction } from './if.js';
import { incrementVariable } from './increment-variable.js';
import { initializeVariable } from './initialize-variable.js';
import { javaScriptCode } from './javascript-code.js';
import { parseJson } from './parse-json.js';
import { query } from './query.js';
import { response } from './response.js';
import { scope } from './scope.js';
import { select } from './select.js';
import { serviceProvider } from './service-provider.js';
import { setVariable } from './set-variable.js';
import { switchAction } from './switch.js';
import { terminate } from './terminate.js';
import type { ActionExecutor } from './types.js';
import { until } from './until.js';
import { wait } from './wait.js';
import { workflow } from './workflow.js';

/** Executors by lower-case action type. The project loader refuses any type not listed here. */
const EXECUTORS: ReadonlyMap<string, ActionExecutor> = new Map([
  ['apiconnection', apiConnection],
  ['appendtoarrayvariable', appendToArrayVariable],
  ['appendtostringvariable', appendToStringVariable],
  ['compose', compose],
  ['decrementvariable', decrementVariable],
  ['foreach', foreach],
  ['http', http],
  ['if', ifAction],
  ['incrementvariable', incrementVariable],
  ['initializevariable', initializeVariable],
  ['javascriptcode', javaScriptCode],
  ['parsejson', parseJson],
  ['query', query],
  ['response', response],
  ['scope', scope],
  ['select', select],
  ['serviceprovider', serviceProvider],
  ['setvariable', setVariable],
  ['switch', switchAction],
  ['terminate', terminate],
  ['until', until],
  ['wait', wait],
  ['workflow', workflow],
]);

export function executorFor(type: string): ActionExecutor {
  const e = EXECUTORS.get(type.toLowerCase());
  if (!e) {
    // The loader refuses unknown types, so reaching this means a definition bypassed validation.
    return async () => ({ status: 'Failed', code: 'UnsupportedActionType', error: { code: 'UnsupportedActionType', message: `The action type '${type}' is not supported.` } });
  }
  return e;
}

export function supportedActionTypes(): string[] {
  return [...EXECUTORS.keys()];
}
