import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEAL_KEY_FILE, Sealer } from '../../../local/runtime/engine/seal.js';

/**
 * Resume checkpoints hold what run history hides (secured inputs/outputs, variables): sealed with
 * AES-256-GCM so no secret reaches disk in clear text (Azure keeps run state encrypted at rest:
 * https://learn.microsoft.com/azure/storage/common/storage-service-encryption).
 */
const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('checkpoint sealing', () => {
  it('round-trips with the folder key, which only its owner can read, and keeps the value out of the blob', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seal-'));
    dirs.push(dir);
    const sealer = await Sealer.open(dir);
    const blob = sealer.seal({ password: 'Hunter2-Temp!' });
    expect(blob.includes(Buffer.from('Hunter2-Temp!'))).toBe(false);
    expect((await Sealer.open(dir)).open(blob)).toEqual({ password: 'Hunter2-Temp!' });
    expect((await stat(join(dir, SEAL_KEY_FILE))).mode & 0o077).toBe(0);
    expect((await readFile(join(dir, SEAL_KEY_FILE), 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers undefined (not garbage) for a blob sealed with another key or damaged', () => {
    const blob = Sealer.ephemeral().seal({ a: 1 });
    expect(Sealer.ephemeral().open(blob)).toBeUndefined();
    const own = Sealer.ephemeral();
    const damaged = own.seal({ a: 1 });
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 1;
    expect(own.open(damaged)).toBeUndefined();
  });
});
