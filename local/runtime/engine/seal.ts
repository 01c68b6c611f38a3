import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Key file in the runtime's data folder that seals resume checkpoints (AES-256-GCM). */
export const SEAL_KEY_FILE = 'resume.key';

const IV = 12;
const TAG = 16;

/**
 * Seals what a run needs to resume after a restart. Checkpoints hold values the run history shows
 * only as "Content not shown due to security configuration." (secured inputs/outputs, variables such
 * as generated passwords), so they never reach disk in clear text; Azure likewise keeps run state
 * encrypted at rest in the logic app's storage account.
 */
export class Sealer {
  private constructor(private readonly key: Buffer) {}

  /** Reads the folder's key, creating it (readable by the owner only) on first use. */
  static async open(dataDir: string): Promise<Sealer> {
    const file = join(dataDir, SEAL_KEY_FILE);
    try {
      const hex = (await readFile(file, 'utf8')).trim();
      if (/^[0-9a-f]{64}$/i.test(hex)) return new Sealer(Buffer.from(hex, 'hex'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    // A missing or damaged key only means older checkpoints cannot be read: those runs end as interrupted.
    const key = randomBytes(32);
    await writeFile(file, key.toString('hex') + '\n', { mode: 0o600 });
    await chmod(file, 0o600);
    return new Sealer(key);
  }

  /** A sealer whose key lives only in memory (in-memory history: nothing to resume after a restart). */
  static ephemeral(): Sealer {
    return new Sealer(randomBytes(32));
  }

  seal(value: unknown): Buffer {
    const iv = randomBytes(IV);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** Undefined when the blob was sealed with another key or is damaged. */
  open<T>(sealed: Buffer): T | undefined {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV));
      decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
      const text = Buffer.concat([decipher.update(sealed.subarray(IV + TAG)), decipher.final()]).toString('utf8');
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
}
