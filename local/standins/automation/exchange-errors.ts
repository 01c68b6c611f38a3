/**
 * Errors as Exchange Online PowerShell raises them. `message` is the cmdlet's wording (what a runbook's
 * job exception shows); `errorId` is the .NET exception type EXO puts in FullyQualifiedErrorId.
 */
export class ExchangeCmdletError extends Error {
  override readonly name = 'ExchangeCmdletError';
  constructor(
    message: string,
    readonly errorId: string,
  ) {
    super(message);
  }
}

/** The server EXO names in "couldn't be found on ..." messages; any mailbox server name will do. */
const EXO_SERVER = 'CY4PR01MB0001.prod.exchangelabs.com';

/** Get-Mailbox / Get-DistributionGroup / Set-* -Identity on a recipient that does not exist. */
export function objectNotFoundOnServer(identity: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${EXO_SERVER}'.`,
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  );
}

/** A recipient given to -User / -Trustee / -Member / -GrantSendOnBehalfTo that does not resolve. */
export function couldNotFindObject(identity: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `Couldn't find object "${identity}". Please make sure that it was spelled correctly or specify a different object.`,
    'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  );
}

export function memberAlreadyExists(member: string, group: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `The recipient "${member}" is already a member of the group "${group}".`,
    'Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException',
  );
}

export function memberNotFound(member: string, group: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `The recipient "${member}" isn't a member of the group "${group}".`,
    'Microsoft.Exchange.Management.Tasks.MemberNotFoundException',
  );
}

export function invalidSmtpAddress(value: string): ExchangeCmdletError {
  return new ExchangeCmdletError(
    `Cannot bind parameter 'ForwardingSmtpAddress'. Cannot convert value "${value}" to type "Microsoft.Exchange.Data.ProxyAddress". Error: "The address '${value}' is invalid."`,
    'CannotConvertArgumentNoMessage,Set-Mailbox',
  );
}
