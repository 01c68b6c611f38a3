import { generatePassword } from '../../passwords/generate.js';
import { createOneTimeLink } from '../../passwords/one-time-link.js';
import { registerSecretValue } from '../../telemetry/index.js';

/**
 * The new account's first password and its delivery (a generated password nobody receives would lock
 * the new user out). Always generated; it goes back only to the secured workflow action that creates the
 * account, already shaped as Graph's passwordProfile, and the one-time link is what reaches the requester.
 */
export interface PreparedNewUserSecret {
  passwordProfile: { password: string; forceChangePasswordNextSignIn: true };
  link: { id: string; url: string; expiresAt: string };
}

export async function prepareNewUserPassword(customerId?: string): Promise<PreparedNewUserSecret> {
  const password = generatePassword();
  // Telemetry scrubs this exact value from any string that might carry it from here on.
  registerSecretValue(password);
  const link = await createOneTimeLink(password, { purpose: 'new-user-creation', ...(customerId ? { customerId } : {}) });
  return { passwordProfile: { password, forceChangePasswordNextSignIn: true }, link: { id: link.id, url: link.url, expiresAt: link.expiresAt } };
}
