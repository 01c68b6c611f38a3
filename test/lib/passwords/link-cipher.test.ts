import { describe, expect, it } from 'vitest';
import { newLinkKey, open, parseLinkKey, seal } from '../../../lib/passwords/link-cipher.js';

describe('link cipher (AES-256-GCM)', () => {
  it('round-trips and never stores the plaintext', () => {
    const key = newLinkKey();
    const sealed = seal('Tr0ub4dor&3', key, 'link-1');
    expect(JSON.stringify(sealed)).not.toContain('Tr0ub4dor');
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(open(sealed, key, 'link-1')).toBe('Tr0ub4dor&3');
  });
  it('fails closed on a wrong key, another link id, or tampering', () => {
    const key = newLinkKey();
    const sealed = seal('secret-value', key, 'link-1');
    expect(open(sealed, newLinkKey(), 'link-1')).toBeUndefined();
    expect(open(sealed, key, 'link-2')).toBeUndefined();
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    expect(open({ ...sealed, ciphertext: bytes.toString('base64') }, key, 'link-1')).toBeUndefined();
  });
  it('uses a fresh IV every time', () => {
    const key = newLinkKey();
    expect(seal('x', key, 'a').iv).not.toBe(seal('x', key, 'a').iv);
  });
  it('parses only 32-byte base64url keys', () => {
    const key = newLinkKey();
    expect(parseLinkKey(key.toString('base64url'))?.equals(key)).toBe(true);
    expect(parseLinkKey(key.toString('base64'))).toBeUndefined();
    expect(parseLinkKey('short')).toBeUndefined();
  });
});
