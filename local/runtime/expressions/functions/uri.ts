import { ExpressionError } from '../errors.js';
import { str } from './args.js';
import { fn, type FunctionDef } from './types.js';

/** URI parsing functions, following .NET System.Uri for absolute URIs. */

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21, ws: 80, wss: 443 };

function parse(name: string, text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new ExpressionError(`The template language function '${name}' expects its parameter to be an absolute URI. The provided value '${text}' is not valid.`);
  }
}

export const uriFunctions: FunctionDef[] = [
  fn('uriHost', 1, 1, (args, env) => parse(env.name, str(env.name, args, 0)).hostname),
  fn('uriPath', 1, 1, (args, env) => parse(env.name, str(env.name, args, 0)).pathname || '/'),
  fn('uriPathAndQuery', 1, 1, (args, env) => {
    const u = parse(env.name, str(env.name, args, 0));
    return (u.pathname || '/') + u.search;
  }),
  fn('uriPort', 1, 1, (args, env) => {
    const u = parse(env.name, str(env.name, args, 0));
    if (u.port) return BigInt(u.port);
    return BigInt(DEFAULT_PORTS[u.protocol.replace(':', '')] ?? -1);
  }),
  fn('uriScheme', 1, 1, (args, env) => parse(env.name, str(env.name, args, 0)).protocol.replace(':', '')),
  fn('uriQuery', 1, 1, (args, env) => parse(env.name, str(env.name, args, 0)).search),
];
