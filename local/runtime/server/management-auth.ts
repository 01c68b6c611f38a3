import type { IncomingMessage } from 'node:http';
import { verifyLocalToken } from '../../standins/identity/token.js';

/** Audiences Azure Resource Manager tokens carry; the management API accepts either. */
const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.core.windows.net/'];

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * Who may call the management API (run history, callback URLs, keys, cancel).
 *
 * Azure requires an ARM bearer token. Locally we accept a bearer token minted by the
 * managed-identity stand-in for the ARM audience, or any request from the loopback interface,
 * which is what the run-history page in a local browser sends. A runtime bound to another
 * interface therefore only serves remote callers that present a token.
 */
export function managementCallerAllowed(req: IncomingMessage): boolean {
  if (req.headers.authorization) return verifyLocalToken(req.headers.authorization, ARM_AUDIENCES).ok;
  return isLoopback(req.socket.remoteAddress);
}
