/**
 * api-version values a Request trigger URL may carry. Standard's own callback URLs use 2022-05-01 (as the
 * host's listCallbackUrl returns them); the others are the published Microsoft.Logic workflow API versions
 * (https://learn.microsoft.com/azure/templates/microsoft.logic/allversions), which callback URLs made by older
 * tools carry. Any other value is refused as Azure Resource Manager refuses one: 400 InvalidApiVersionParameter.
 */
export const TRIGGER_API_VERSIONS: readonly string[] = [
  '2022-05-01',
  '2020-05-01-preview',
  '2019-05-01',
  '2018-07-01-preview',
  '2017-07-01',
  '2016-10-01',
  '2016-06-01',
  '2015-08-01-preview',
  '2015-02-01-preview',
];

export function unsupportedApiVersionMessage(value: string): string {
  return `The api-version '${value}' is invalid. The supported versions are '${TRIGGER_API_VERSIONS.join(',')}'.`;
}

export function isSupportedTriggerApiVersion(value: string): boolean {
  return TRIGGER_API_VERSIONS.includes(value.toLowerCase());
}
