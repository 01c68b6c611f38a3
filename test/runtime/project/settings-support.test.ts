import { describe, expect, it } from 'vitest';
import { unsupportedSettings } from '../../../local/runtime/project/settings-support.js';

describe('unsupportedSettings', () => {
  it('accepts the options and settings the runtime honours', () => {
    expect(unsupportedSettings({ operationOptions: 'Sequential', runtimeConfiguration: { concurrency: { repetitions: 1 } } }, 'action')).toEqual([]);
    expect(unsupportedSettings({ operationOptions: 'DisableAsyncPattern, SuppressWorkflowHeaders', runtimeConfiguration: { secureData: { properties: ['inputs'] } } }, 'action')).toEqual([]);
    expect(unsupportedSettings({ operationOptions: 'EnableSchemaValidation,SuppressWorkflowHeadersOnResponse' }, 'trigger')).toEqual([]);
  });

  it('names every option or setting it would otherwise ignore', () => {
    expect(unsupportedSettings({ operationOptions: 'IncludeAuthorizationHeadersInOutputs', runtimeConfiguration: { staticResult: { name: 'x' }, paginationPolicy: {} } }, 'action')).toEqual([
      "operationOptions 'IncludeAuthorizationHeadersInOutputs' is not supported by the local runtime on an action",
      'runtimeConfiguration.staticResult is not supported by the local runtime',
      'runtimeConfiguration.paginationPolicy is not supported by the local runtime',
    ]);
    expect(unsupportedSettings({ operationOptions: 'SingleInstance', runtimeConfiguration: { concurrency: { runs: 1 } } }, 'trigger')).toEqual([
      "operationOptions 'SingleInstance' is not supported by the local runtime on a trigger",
      'runtimeConfiguration.concurrency is not supported by the local runtime',
    ]);
    expect(unsupportedSettings({ operationOptions: 42, runtimeConfiguration: [] }, 'action')).toEqual(['"operationOptions" must be a string', '"runtimeConfiguration" must be an object']);
  });
});
