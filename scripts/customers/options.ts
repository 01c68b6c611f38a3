import { InputError } from '../deploy/errors.js';

/** `npm run customer:add|remove|list -- …`: the command line, validated before anything runs. */
export type CustomerCommand = 'add' | 'remove' | 'list';

export interface CustomerOptions {
  command: CustomerCommand;
  /** Resource group of the msp-mode deployment (npm run deploy -- --mode msp). */
  resourceGroup: string;
  subscription?: string;
  /** add: display name as the technician typed it. */
  name?: string;
  /** add: tenant id or any verified domain of the customer's tenant. */
  tenant?: string;
  /** remove: the customer id customer:add printed (customer:list shows it). */
  id?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const ALLOWED: Record<CustomerCommand, readonly string[]> = {
  add: ['resource-group', 'subscription', 'name', 'tenant'],
  remove: ['resource-group', 'subscription', 'id'],
  list: ['resource-group', 'subscription'],
};

export function customerUsage(command: CustomerCommand): string {
  const common = '--resource-group <msp deployment rg> [--subscription <id>]';
  if (command === 'add') return `Usage: npm run customer:add -- ${common} --name "Contoso Corp" --tenant <tenant id or domain>`;
  if (command === 'remove') return `Usage: npm run customer:remove -- ${common} --id <customer id from customer:list>`;
  return `Usage: npm run customer:list -- ${common}`;
}

export function parseCustomerOptions(command: CustomerCommand, argv: readonly string[]): CustomerOptions {
  const problems: string[] = [];
  const raw = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('--')) {
      problems.push(`Unexpected '${token}': every value follows an option name.`);
      continue;
    }
    const eq = token.indexOf('=');
    const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
    if (!ALLOWED[command].includes(name)) {
      problems.push(`Unknown option --${name} for customer:${command}. ${customerUsage(command)}`);
      continue;
    }
    const value = eq === -1 ? argv[++i] : token.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      problems.push(`--${name} needs a value. ${customerUsage(command)}`);
      if (eq === -1 && value !== undefined) i--;
      continue;
    }
    if (raw.has(name)) problems.push(`--${name} is given twice; give it once.`);
    raw.set(name, value.trim());
  }
  const required = (name: string, example: string): string => {
    const v = raw.get(name);
    if (!v) problems.push(`--${name} is required, e.g. --${name} ${example}.`);
    return v ?? '';
  };
  const resourceGroup = required('resource-group', 'rg-thread-msp');
  const options: CustomerOptions = { command, resourceGroup, ...(raw.get('subscription') ? { subscription: raw.get('subscription') as string } : {}) };
  if (command === 'add') {
    options.name = required('name', '"Contoso Corp"');
    const tenant = required('tenant', 'contoso.com');
    if (tenant && !GUID.test(tenant) && !DOMAIN.test(tenant)) {
      problems.push(`--tenant '${tenant}' is neither a tenant id (00000000-0000-0000-0000-000000000000) nor a domain (contoso.com, contoso.onmicrosoft.com).`);
    }
    options.tenant = tenant.toLowerCase();
  }
  if (command === 'remove') {
    const id = required('id', 'contosocorp');
    if (id && !/^[a-z0-9-]{3,40}$/.test(id)) problems.push(`--id '${id}' is not a customer id: customer:list shows them (e.g. contosocorp).`);
    options.id = id;
  }
  if (problems.length > 0) throw new InputError(problems);
  return options;
}
