import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyLocalToken } from '../identity/token.js';
import { sendJson } from './http-io.js';

/** ARM's error envelope and its bearer-token checks, as management.azure.com answers them. */

export const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.core.windows.net/'] as const;

export function sendArmError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code, message } }, headers);
}

/** Returns true when the request carries a valid ARM token; otherwise answers 401 the way ARM does. */
export function requireArmToken(req: IncomingMessage, res: ServerResponse): boolean {
  const check = verifyLocalToken(req.headers.authorization, ARM_AUDIENCES);
  if (check.ok) return true;
  const challenge = { 'www-authenticate': 'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."' };
  switch (check.reason) {
    case 'missing':
      sendArmError(res, 401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge);
      break;
    case 'expired':
      sendArmError(res, 401, 'ExpiredAuthenticationToken', 'The access token expiry UTC time is earlier than current UTC time.', challenge);
      break;
    case 'wrong-audience':
      sendArmError(
        res,
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences '${ARM_AUDIENCES.join("','")}'.`,
        challenge,
      );
      break;
    default:
      sendArmError(res, 401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge);
  }
  return false;
}
