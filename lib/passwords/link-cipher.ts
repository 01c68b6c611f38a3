import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for one-time links. The key is random per link and is never stored: it travels only in
 * the link's URL fragment, which browsers do not send to servers. The link id is bound in as associated
 * data, so a ciphertext copied to another row will not decrypt.
 */
export interface SealedSecret {
  /** base64 */
  ciphertext: string;
  /** base64, 12 bytes */
  iv: string;
  /** base64, 16 bytes */
  tag: string;
}

export const LINK_KEY_BYTES = 32;

export function newLinkKey(): Buffer {
  return randomBytes(LINK_KEY_BYTES);
}

export function seal(secret: string, key: Buffer, linkId: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(linkId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns undefined when the key is wrong or the data was tampered with (GCM authentication fails). */
export function open(sealed: SealedSecret, key: Buffer, linkId: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(linkId, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Parses the base64url key from a link fragment; undefined unless it is exactly 32 bytes. */
export function parseLinkKey(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined;
  const key = Buffer.from(text, 'base64url');
  return key.length === LINK_KEY_BYTES ? key : undefined;
}
