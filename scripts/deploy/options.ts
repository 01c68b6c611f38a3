import { isIP } from 'node:net';
import { InputError } from './errors.js';

/**
 * The command line of `npm run deploy`, parsed and validated. Every problem is reported at once, each naming the
 * option, what is wrong with it and what to type instead, before anything runs.
 */
export type DeployMode = 'customer' | 'msp';

export interface DeployOptions {
  mode: DeployMode;
  resourceGroup: string;
  location: string;
  /** Display name of the customer as the technician typed it. */
  customer: string;
  /** 3–12 lower-case letters/digits: every resource name derives from it (infra/main.bicep `baseName`). */
  baseName: string;
  notificationEmail: string;
  exchangeOrganization: string;
  subscription?: string;
  /** Undefined: keep what the last deployment used (or the Bicep default the first time). [] = no IP restriction. */
  allowedCallerIps?: string[];
  allowExternalForwarding?: boolean;
  protectedGroups?: string;
  defaultUsageLocation?: string;
  /** Region of the helpers' Flex Consumption plan when --location does not offer it (infra/README.md). */
  helpersLocation?: string;
  /** Use this existing app registration for the helpers instead of finding/creating one by name. */
  helpersAppId?: string;
  whatIf: boolean;
  plan: boolean;
  yes: boolean;
  verbose: boolean;
}

type Kind = 'string' | 'flag' | 'bool';

const SPEC: Record<string, { kind: Kind; help: string }> = {
  'resource-group': { kind: 'string', help: 'resource group to deploy into (created when missing)' },
  location: { kind: 'string', help: 'Azure region, e.g. westeurope (az account list-locations -o table)' },
  customer: { kind: 'string', help: "customer's name; its letters and digits (max 12) name the resources" },
  'base-name': { kind: 'string', help: 'override the short name derived from --customer (3–12 lower-case letters/digits)' },
  'notification-email': { kind: 'string', help: 'mailbox that sends and receives failure notifications' },
  'exchange-organization': { kind: 'string', help: "the tenant's initial domain, <name>.onmicrosoft.com" },
  subscription: { kind: 'string', help: 'subscription name or id (default: the Azure CLI default subscription)' },
  'allowed-caller-ips': { kind: 'string', help: "comma-separated IPs/CIDRs allowed to call the webhook; 'any' = no restriction (default: Thread's IPs)" },
  'allow-external-forwarding': { kind: 'bool', help: 'let offboarding forward mail outside the tenant (--no-allow-external-forwarding to turn off)' },
  'protected-groups': { kind: 'string', help: 'groups the workflows must never change, comma separated' },
  'default-usage-location': { kind: 'string', help: 'two-letter country code set before assigning a licence (default US)' },
  'helpers-location': { kind: 'string', help: 'region for the helpers when --location has no Flex Consumption (az functionapp list-flexconsumption-locations)' },
  'helpers-app-id': { kind: 'string', help: 'client id of an existing app registration to use for the helpers API' },
  mode: { kind: 'string', help: "'customer' (default): everything in the customer's tenant; 'msp': one deployment in the MSP's tenant for many customers (then --customer is the MSP's name, no --exchange-organization)" },
  'what-if': { kind: 'flag', help: "show Azure's what-if of the Bicep deployment and ask before applying it" },
  plan: { kind: 'flag', help: 'print every command in order and change nothing (no sign-in needed)' },
  yes: { kind: 'flag', help: 'do not ask for confirmation (needed when not run from a terminal)' },
  verbose: { kind: 'flag', help: 'print each az command as it runs' },
  help: { kind: 'flag', help: 'show this help' },
};

export function usage(): string {
  const lines = [
    'Usage: npm run deploy -- --resource-group <rg> --location <region> --customer <name> \\',
    '         --notification-email <mailbox> --exchange-organization <name>.onmicrosoft.com [options]',
    '',
    'Deploys one customer end to end with the Azure CLI. Re-running it skips what is already right.',
    '',
  ];
  for (const [name, { kind, help }] of Object.entries(SPEC)) {
    const arg = kind === 'string' ? ` <value>` : '';
    lines.push(`  --${name}${arg}`.padEnd(36) + help);
  }
  return lines.join('\n');
}

export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

type Raw = Map<string, string | boolean>;

function parseRaw(argv: readonly string[], problems: string[]): Raw {
  const raw: Raw = new Map();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('--')) {
      problems.push(`Unexpected '${token}': every value follows an option name, e.g. --customer "${token}".`);
      continue;
    }
    const eq = token.indexOf('=');
    let name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const inline = eq === -1 ? undefined : token.slice(eq + 1);
    let negated = false;
    if (!(name in SPEC) && name.startsWith('no-') && SPEC[name.slice(3)]?.kind === 'bool') {
      name = name.slice(3);
      negated = true;
    }
    const spec = SPEC[name];
    if (!spec) {
      problems.push(`Unknown option --${name}. Run 'npm run deploy -- --help' for the list.`);
      continue;
    }
    if (raw.has(name)) problems.push(`--${name} is given twice; give it once.`);
    if (spec.kind === 'string') {
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) {
        problems.push(`--${name} needs a value: --${name} <value> (${spec.help}).`);
        continue;
      }
      if (inline === undefined) i++;
      raw.set(name, value);
    } else if (spec.kind === 'bool') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') {
        problems.push(`--${name}=${inline}: use --${name} (on) or --no-${name} (off).`);
        continue;
      }
      raw.set(name, negated ? false : inline !== 'false');
    } else {
      if (inline !== undefined || negated) problems.push(`--${name} takes no value.`);
      raw.set(name, true);
    }
  }
  return raw;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** "Contoso Ltd." → "contosoltd": the letters and digits of the name, lower-case, at most 12. */
export function baseNameFor(customer: string): string {
  return customer
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 12);
}

function parseIps(value: string, problems: string[]): string[] | undefined {
  if (value.trim().toLowerCase() === 'any') return [];
  const before = problems.length;
  const result: string[] = [];
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [address = '', prefix, extra] = part.split('/');
    const version = isIP(address);
    const max = version === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (version === 0 || !prefixOk || extra !== undefined) {
      problems.push(`--allowed-caller-ips: '${part}' is not an IP address or CIDR range (e.g. 52.70.34.233 or 52.70.34.0/24); use 'any' for no restriction.`);
      continue;
    }
    result.push(prefix === undefined ? `${address}/${max}` : part);
  }
  if (result.length === 0 && problems.length === before) {
    problems.push(`--allowed-caller-ips is empty: list addresses separated by commas, or 'any' for no restriction.`);
  }
  return result;
}

/** Parses and validates; throws InputError listing every problem. */
export function parseOptions(argv: readonly string[]): DeployOptions {
  const problems: string[] = [];
  const raw = parseRaw(argv, problems);
  const str = (name: string): string | undefined => {
    const v = raw.get(name);
    return typeof v === 'string' ? v.trim() : undefined;
  };
  const required = (name: string, example: string): string => {
    const v = str(name);
    if (v === undefined || v === '') problems.push(`--${name} is required, e.g. --${name} ${example}.`);
    return v ?? '';
  };

  const modeText = (str('mode') ?? 'customer').toLowerCase();
  if (modeText !== 'customer' && modeText !== 'msp') problems.push(`--mode '${modeText}' is not a mode: use --mode customer (the default) or --mode msp.`);
  const mode: DeployMode = modeText === 'msp' ? 'msp' : 'customer';

  const resourceGroup = required('resource-group', 'rg-thread-contoso');
  if (resourceGroup && (!/^[-\w.()]{1,90}$/.test(resourceGroup) || resourceGroup.endsWith('.'))) {
    problems.push(
      `--resource-group '${resourceGroup}' is not a valid resource group name: 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`,
    );
  }

  let location = required('location', 'westeurope');
  location = location.toLowerCase().replace(/\s+/g, '');
  if (location && !/^[a-z0-9]+$/.test(location)) {
    problems.push(`--location '${str('location')}' is not an Azure region name: use the short form, e.g. westeurope (list: az account list-locations -o table).`);
  }

  const customer = required('customer', '"Contoso Ltd"');
  const explicitBase = str('base-name');
  const baseName = explicitBase ?? baseNameFor(customer);
  if (explicitBase !== undefined && !/^[a-z0-9]{3,12}$/.test(explicitBase)) {
    problems.push(`--base-name '${explicitBase}' must be 3–12 lower-case letters or digits, e.g. --base-name contoso.`);
  } else if (customer && !/^[a-z0-9]{3,12}$/.test(baseName)) {
    problems.push(
      `--customer '${customer}' gives the short name '${baseName}', which needs 3–12 lower-case letters or digits: ` +
        `add --base-name <short name>, e.g. --base-name contoso.`,
    );
  }

  const notificationEmail = required('notification-email', 'alerts@contoso.com');
  if (notificationEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(notificationEmail)) {
    problems.push(`--notification-email '${notificationEmail}' is not an email address, e.g. alerts@contoso.com.`);
  }

  // msp mode serves many tenants: each customer's organisation comes from the customers registry (customer:add).
  let exchangeOrganization = mode === 'msp' ? (str('exchange-organization') ?? '') : required('exchange-organization', 'contoso.onmicrosoft.com');
  exchangeOrganization = exchangeOrganization.toLowerCase();
  if (mode === 'msp' && exchangeOrganization) {
    problems.push(`--exchange-organization is per customer in --mode msp: leave it out (npm run customer:add records each customer's tenant).`);
  } else if (exchangeOrganization && !/^[a-z0-9][a-z0-9-]*\.onmicrosoft\.com$/.test(exchangeOrganization)) {
    problems.push(
      `--exchange-organization '${str('exchange-organization')}' must be the tenant's initial domain <name>.onmicrosoft.com ` +
        `(Microsoft 365 admin center > Settings > Domains), e.g. contoso.onmicrosoft.com.`,
    );
  }

  const helpersLocation = str('helpers-location')?.toLowerCase().replace(/\s+/g, '');
  if (helpersLocation !== undefined && !/^[a-z0-9]+$/.test(helpersLocation)) {
    problems.push(`--helpers-location '${str('helpers-location')}' is not an Azure region name: use the short form, e.g. northeurope.`);
  }

  const subscription = str('subscription');
  if (subscription === '') problems.push(`--subscription is empty: give the subscription's name or id.`);

  const ipsRaw = str('allowed-caller-ips');
  const allowedCallerIps = ipsRaw === undefined ? undefined : parseIps(ipsRaw, problems);

  const usageLocation = str('default-usage-location');
  if (usageLocation !== undefined && !/^[A-Za-z]{2}$/.test(usageLocation)) {
    problems.push(`--default-usage-location '${usageLocation}' must be a two-letter country code, e.g. GB or US.`);
  }

  const helpersAppId = str('helpers-app-id');
  if (helpersAppId !== undefined && !GUID.test(helpersAppId)) {
    problems.push(`--helpers-app-id '${helpersAppId}' is not an application (client) id: it looks like 00000000-0000-0000-0000-000000000000.`);
  }

  if (problems.length > 0) throw new InputError(problems);

  const forwarding = raw.get('allow-external-forwarding');
  return {
    mode,
    resourceGroup,
    location,
    customer,
    baseName,
    notificationEmail,
    exchangeOrganization,
    ...(subscription !== undefined ? { subscription } : {}),
    ...(allowedCallerIps !== undefined ? { allowedCallerIps } : {}),
    ...(typeof forwarding === 'boolean' ? { allowExternalForwarding: forwarding } : {}),
    ...(str('protected-groups') !== undefined ? { protectedGroups: str('protected-groups') } : {}),
    ...(usageLocation !== undefined ? { defaultUsageLocation: usageLocation.toUpperCase() } : {}),
    ...(helpersLocation !== undefined ? { helpersLocation } : {}),
    ...(helpersAppId !== undefined ? { helpersAppId: helpersAppId.toLowerCase() } : {}),
    whatIf: raw.get('what-if') === true,
    plan: raw.get('plan') === true,
    yes: raw.get('yes') === true,
    verbose: raw.get('verbose') === true,
  };
}
