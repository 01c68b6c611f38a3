import { checkEntraPassword } from '../../passwords/entra-policy.js';
import { generatePassword } from '../../passwords/generate.js';
import { createOneTimeLink } from '../../passwords/one-time-link.js';
import { registerSecretValue } from '../../telemetry/index.js';
import { AppError } from '../../errors/app-error.js';

/**
 * The temporary password and its delivery: the supplied one (already policy-checked by the contract;
 * checked again here because this is a separate HTTP boundary) or a generated one, sealed behind a
 * one-time link. The password goes back only to the workflow action that sets it (secure inputs and
 * outputs); the link is what reaches the requester.
 */
export interface PreparedSecret {
  password: string;
  link: { id: string; url: string; expiresAt: string };
  source: 'supplied' | 'generated';
}

export async function prepareTemporaryPassword(supplied: string | undefined, customerId?: string): Promise<PreparedSecret> {
  const given = typeof supplied === 'string' && supplied.length > 0 ? supplied : undefined;
  if (given !== undefined) {
    const verdict = checkEntraPassword(given);
    if (!verdict.ok) {
      throw new AppError({
        code: 'validation_failed',
        message: 'The supplied temporary password does not meet the Microsoft Entra password policy.',
        status: 400,
        fix: 'Leave "Temporary Password" empty to have a strong one generated, or supply 8–256 characters using three of: upper case, lower case, digits, symbols.',
        step: 'prepare_password',
      });
    }
  }
  const password = given ?? generatePassword();
  // Telemetry scrubs this exact value from any string that might carry it from here on.
  registerSecretValue(password);
  const link = await createOneTimeLink(password, { purpose: 'password-reset', ...(customerId ? { customerId } : {}) });
  return { password, link: { id: link.id, url: link.url, expiresAt: link.expiresAt }, source: given ? 'supplied' : 'generated' };
}
