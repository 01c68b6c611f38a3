import { randomInt } from 'node:crypto';

/**
 * Azure run names: 20 digits of (Int64.MaxValue - .NET ticks now), 9 more digits that keep names
 * unique within one tick, then "CU" and a two-digit scale-unit number. Reverse ticks make newer
 * runs sort first as plain strings, which the history store relies on.
 */
const INT64_MAX = 9223372036854775807n;
const UNIX_EPOCH_TICKS = 621355968000000000n;
let sequence = randomInt(0, 1_000_000);

export function newRunName(nowMs: number): string {
  const ticks = BigInt(Math.floor(nowMs)) * 10000n + UNIX_EPOCH_TICKS;
  const reverse = (INT64_MAX - ticks).toString().padStart(20, '0');
  sequence = (sequence + 1) % 1_000_000;
  const tail = `${String(randomInt(0, 1000)).padStart(3, '0')}${String(sequence).padStart(6, '0')}`;
  return `${reverse}${tail}CU${String(randomInt(0, 100)).padStart(2, '0')}`;
}

/** Azure-style workflow version id from the definition hash (20 digits, as runs show it). */
export function versionName(md5Hex: string): string {
  return (BigInt('0x' + md5Hex.slice(0, 16)) % 10n ** 20n).toString().padStart(20, '0');
}
