/**
 * Errors as Exchange Online PowerShell raises them, carrying what the stub ExchangeOnlineManagement module
 * needs to rebuild the ErrorRecord (docs/exchange-stand-in.md, "Cmdlet protocol"):
 * - `message`: the cmdlet's wording, which becomes the runbook job's exception text;
 * - `exceptionType`: the .NET exception EXO raises (CategoryInfo shows its short name);
 * - `category`: a System.Management.Automation.ErrorCategory name. EXO reports its server-side errors as
 *   `NotSpecified` (undocumented: observed as "CategoryInfo : NotSpecified: (:) [Get-Recipient],
 *   ManagementObjectNotFoundException" in timmcmic/DLConversionV2#130 with module 3.x);
 * - `errorId`: the FullyQualifiedErrorId's stable part (`[FailureCategory=Cmdlet-<exception>]` in EXO's ids;
 *   the server/request/time part is left out).
 *
 * Known difference: module 3.x prefixes REST error messages with "Ex<hex>|<exception type>|"
 * (observed as "Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The
 * operation couldn't be performed ..." in Microsoft365DSC#4401); the stand-in gives the message alone.
 */

export interface ExchangeErrorShape {
  message: string;
  category: string;
  errorId: string;
  exceptionType: string;
}

export class ExchangeCmdletError extends Error {
  override readonly name = 'ExchangeCmdletError';
  readonly category: string;
  readonly errorId: string;

  constructor(
    message: string,
    readonly exceptionType: string,
    opts: { category?: string; errorId?: string } = {},
  ) {
    super(message);
    this.category = opts.category ?? 'NotSpecified';
    this.errorId = opts.errorId ?? `[FailureCategory=Cmdlet-${exceptionType.split('.').at(-1) ?? exceptionType}]`;
  }

  /** The `error` object of the stand-in's /connect and /cmdlet answers. */
  toJSON(): ExchangeErrorShape {
    return { message: this.message, category: this.category, errorId: this.errorId, exceptionType: this.exceptionType };
  }
}

/** The server EXO names in "couldn't be found on ..." messages; any mailbox server name will do. */
const EXO_SERVER = 'CY4PR01MB0001.prod.exchangelabs.com';
const NOT_FOUND = 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException';

/** Get-Mailbox / Get-DistributionGroup / Set-* -Identity on a recipient that does not exist. */
export function objectNotFoundOnServer(identity: string): ExchangeCmdletError {
  return new ExchangeCmdletError(`The operation couldn't be performed because object '${identity}' couldn't be found on '${EXO_SERVER}'.`, NOT_FOUND);
}

/** A recipient given to -User / -Trustee / -Member / -GrantSendOnBehalfTo that does not resolve. */
export function couldNotFindObject(identity: string): ExchangeCmdletError {
  return new ExchangeCmdletError(`Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`, NOT_FOUND);
}

export function ambiguousIdentity(identity: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `The operation couldn't be performed because '${identity}' matches multiple entries.`,
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException',
  );
}

export function memberAlreadyExists(member: string, group: string): ExchangeCmdletError {
  return new ExchangeCmdletError(`The recipient "${member}" is already a member of the group "${group}".`, 'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException');
}

export function memberNotFound(member: string, group: string): ExchangeCmdletError {
  return new ExchangeCmdletError(`The recipient "${member}" isn't a member of the group "${group}".`, 'Microsoft.Exchange.Management.Tasks.MemberNotFoundException');
}

/** PowerShell's own parameter-binding failure, raised before the cmdlet runs. */
export function invalidSmtpAddress(value: string, parameter = 'ForwardingSmtpAddress', cmdlet = 'Set-Mailbox'): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `Cannot bind parameter '${parameter}'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.ProxyAddress". Error: "The address '${value}' is invalid."`,
    'System.Management.Automation.ParameterBindingException',
    { category: 'InvalidArgument', errorId: `CannotConvertArgumentNoMessage,${cmdlet}` },
  );
}

/** A parameter value outside the cmdlet's enumeration (PowerShell's binding message; `enumType` as Learn names it). */
export function invalidEnumValue(parameter: string, cmdlet: string, value: string, enumType: string, allowed: readonly string[]): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `Cannot bind parameter '${parameter}'. Cannot convert value "${value}" to type "${enumType}". ` +
      `Error: "Unable to match the identifier name ${value} to a valid enumerator name. Specify one of the following enumerator names and try again:\n${allowed.join(', ')}"`,
    'System.Management.Automation.ParameterBindingException',
    { category: 'InvalidArgument', errorId: `CannotConvertArgumentNoMessage,${cmdlet}` },
  );
}
