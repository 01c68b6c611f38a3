import { describe, expect, it } from 'vitest';
import { InputError } from '../../scripts/deploy/errors.js';
import { baseNameFor, parseOptions } from '../../scripts/deploy/options.js';
import { BASE_ARGS } from './support.js';

function problems(argv: string[]): string[] {
  try {
    parseOptions(argv);
  } catch (error) {
    if (error instanceof InputError) return [...error.problems];
    throw error;
  }
  return [];
}

function without(option: string): string[] {
  const i = BASE_ARGS.indexOf(option);
  return [...BASE_ARGS.slice(0, i), ...BASE_ARGS.slice(i + 2)];
}

describe('the command line', () => {
  it('parses the documented options', () => {
    const o = parseOptions([
      ...BASE_ARGS,
      '--subscription', 'Contoso production',
      '--allowed-caller-ips', '52.70.34.233, 10.0.0.0/8,2001:db8::1',
      '--no-allow-external-forwarding',
      '--protected-groups', 'Domain Admins,Finance',
      '--default-usage-location=gb',
      '--helpers-location', 'North Europe',
      '--what-if',
      '--plan',
    ]);
    expect(o).toMatchObject({
      mode: 'customer',
      resourceGroup: 'rg-thread-contoso',
      location: 'westeurope',
      customer: 'Contoso',
      baseName: 'contoso',
      notificationEmail: 'alerts@contoso.com',
      exchangeOrganization: 'contoso.onmicrosoft.com',
      subscription: 'Contoso production',
      allowedCallerIps: ['52.70.34.233/32', '10.0.0.0/8', '2001:db8::1/128'],
      allowExternalForwarding: false,
      protectedGroups: 'Domain Admins,Finance',
      defaultUsageLocation: 'GB',
      helpersLocation: 'northeurope',
      whatIf: true,
      plan: true,
      yes: true,
    });
  });

  it('leaves unset what the technician did not give, so a re-run keeps the deployed value', () => {
    const o = parseOptions(BASE_ARGS);
    expect(o.allowedCallerIps).toBeUndefined();
    expect(o.allowExternalForwarding).toBeUndefined();
    expect(o.protectedGroups).toBeUndefined();
    expect(o.defaultUsageLocation).toBeUndefined();
    expect(parseOptions([...BASE_ARGS, '--allowed-caller-ips', 'any']).allowedCallerIps).toEqual([]);
    expect(parseOptions([...BASE_ARGS, '--allow-external-forwarding']).allowExternalForwarding).toBe(true);
  });

  it('derives the short name from the customer: lower-case letters and digits, at most 12', () => {
    expect(baseNameFor('Contoso Ltd.')).toBe('contosoltd');
    expect(baseNameFor('Müller & Söhne GmbH')).toBe('mullersohneg');
    expect(parseOptions([...without('--customer'), '--customer', 'A&B', '--base-name', 'abgroup']).baseName).toBe('abgroup');
    expect(parseOptions([...without('--location'), '--location', 'West Europe']).location).toBe('westeurope');
  });

  it('names every missing required option with an example', () => {
    expect(problems([])).toEqual([
      '--resource-group is required, e.g. --resource-group rg-thread-contoso.',
      '--location is required, e.g. --location westeurope.',
      '--customer is required, e.g. --customer "Contoso Ltd".',
      '--notification-email is required, e.g. --notification-email alerts@contoso.com.',
      '--exchange-organization is required, e.g. --exchange-organization contoso.onmicrosoft.com.',
    ]);
  });

  it.each([
    [[...without('--customer'), '--customer', 'A&B'], "--customer 'A&B' gives the short name 'ab', which needs 3–12 lower-case letters or digits: add --base-name <short name>, e.g. --base-name contoso."],
    [[...BASE_ARGS, '--base-name', 'Contoso_1'], "--base-name 'Contoso_1' must be 3–12 lower-case letters or digits, e.g. --base-name contoso."],
    [[...without('--notification-email'), '--notification-email', 'alerts'], "--notification-email 'alerts' is not an email address, e.g. alerts@contoso.com."],
    [[...without('--exchange-organization'), '--exchange-organization', 'contoso.com'], "--exchange-organization 'contoso.com' must be the tenant's initial domain <name>.onmicrosoft.com (Microsoft 365 admin center > Settings > Domains), e.g. contoso.onmicrosoft.com."],
    [[...without('--resource-group'), '--resource-group', 'rg/contoso'], "--resource-group 'rg/contoso' is not a valid resource group name: 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'."],
    [[...without('--location'), '--location', 'west-europe'], "--location 'west-europe' is not an Azure region name: use the short form, e.g. westeurope (list: az account list-locations -o table)."],
    [[...BASE_ARGS, '--allowed-caller-ips', '300.1.1.1'], "--allowed-caller-ips: '300.1.1.1' is not an IP address or CIDR range (e.g. 52.70.34.233 or 52.70.34.0/24); use 'any' for no restriction."],
    [[...BASE_ARGS, '--allowed-caller-ips', '10.0.0.0/33'], "--allowed-caller-ips: '10.0.0.0/33' is not an IP address or CIDR range (e.g. 52.70.34.233 or 52.70.34.0/24); use 'any' for no restriction."],
    [[...BASE_ARGS, '--default-usage-location', 'GBR'], "--default-usage-location 'GBR' must be a two-letter country code, e.g. GB or US."],
    [[...BASE_ARGS, '--helpers-app-id', 'contoso'], "--helpers-app-id 'contoso' is not an application (client) id: it looks like 00000000-0000-0000-0000-000000000000."],
    [[...BASE_ARGS, '--mode', 'tenant'], "--mode 'tenant' is not a mode: use --mode customer (the default) or --mode msp."],
    [[...BASE_ARGS, '--force'], "Unknown option --force. Run 'npm run deploy -- --help' for the list."],
    [[...BASE_ARGS, 'contoso'], `Unexpected 'contoso': every value follows an option name, e.g. --customer "contoso".`],
    [[...BASE_ARGS, '--subscription'], '--subscription needs a value: --subscription <value> (subscription name or id (default: the Azure CLI default subscription)).'],
    [[...BASE_ARGS, '--location', 'westeurope'], '--location is given twice; give it once.'],
    [[...BASE_ARGS, '--plan=yes'], '--plan takes no value.'],
    [[...BASE_ARGS, '--allow-external-forwarding=maybe'], '--allow-external-forwarding=maybe: use --allow-external-forwarding (on) or --no-allow-external-forwarding (off).'],
  ])('refuses %j with a message that says what to do', (argv, message) => {
    expect(problems(argv)).toEqual([message]);
  });

  it('--mode msp: accepted without --exchange-organization (each customer tenant comes from customer:add), refused with it', () => {
    const withoutOrg = BASE_ARGS.filter((a, i, all) => a !== '--exchange-organization' && all[i - 1] !== '--exchange-organization');
    expect(parseOptions([...withoutOrg, '--mode', 'msp']).mode).toBe('msp');
    expect(problems([...BASE_ARGS, '--mode', 'msp'])).toEqual([
      "--exchange-organization is per customer in --mode msp: leave it out (npm run customer:add records each customer's tenant).",
    ]);
    expect(problems([...BASE_ARGS, '--mode', 'shared'])).toEqual(["--mode 'shared' is not a mode: use --mode customer (the default) or --mode msp."]);
  });
});
