/**
 * How a command is shown to the technician (plan output, --verbose, failure messages): one line, POSIX-quoted so
 * it can be pasted into bash, with the value of any secret-bearing option replaced. The deploy command never puts
 * a secret into an argument (the signing key is generated inside Bicep, grants carry only ids), so redaction is a
 * second line of defence, and the tests check the first.
 */
const SAFE = /^[A-Za-z0-9_\-./:=@,+%]+$/;

/** Options whose value would be a secret if anyone ever passed one. */
const SECRET_OPTIONS = new Set(['--password', '-p', '--client-secret', '--secret', '--value', '--sas-token', '--account-key']);

/** Query-string parameters that carry a signature or key (SAS `sig`, `code` of function keys). */
const SECRET_QUERY = /([?&](?:sig|code|sv-sig|access_token)=)[^&\s'"]+/gi;

export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function redactArgs(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    const previous = i > 0 ? args[i - 1] : undefined;
    if (previous !== undefined && SECRET_OPTIONS.has(previous)) return '<redacted>';
    if (/bearer\s+\S+/i.test(arg)) return arg.replace(/(bearer\s+)\S+/gi, '$1<redacted>');
    return arg.replace(SECRET_QUERY, '$1<redacted>');
  });
}

/** `az group show --name 'my rg' …` */
export function formatCommand(program: string, args: readonly string[]): string {
  return [program, ...redactArgs(args)].map(quoteArg).join(' ');
}
