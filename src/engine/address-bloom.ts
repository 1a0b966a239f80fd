/**
 * A Bloom filter of the addresses (`pkt-srcaddr`, `pkt-dstaddr`) one log object holds, built in the pass that reads
 * the object whole and kept in its summary. A one-address question then skips every object that cannot hold the
 * address — DuckDB 1.5 does not prune Parquet row groups for an OR across two columns, which `who` needs — without
 * reading it. A false positive only costs a read; there are no false negatives.
 */

/** Bits per address aimed at (≈ 1 % false positives with 7 hashes), within [1 Ki, 64 Ki] bits. */
const BITS_PER_ITEM = 10;
const HASHES = 7;

/** FNV-1a, 32 bits, with a seed. */
function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function* positions(s: string, bits: number): Generator<number> {
  const a = fnv(s, 0);
  const b = fnv(s, 0x9e3779b9) | 1;
  for (let i = 0; i < HASHES; i++) yield ((a + Math.imul(i, b)) >>> 0) % bits;
}

/** Builds the filter of `addresses` as base64 (its length gives the bit count). */
export function buildBloom(addresses: Iterable<string>): string {
  const items = [...new Set(addresses)];
  let bits = 1024;
  while (bits < items.length * BITS_PER_ITEM && bits < 65_536) bits *= 2;
  const buf = Buffer.alloc(bits / 8);
  for (const a of items) for (const p of positions(a, bits)) buf[p >> 3] = (buf[p >> 3] as number) | (1 << (p & 7));
  return buf.toString('base64');
}

/** Whether `address` may be in the filter (false: it is certainly not). */
export function mayContain(bloom: string, address: string): boolean {
  const buf = Buffer.from(bloom, 'base64');
  const bits = buf.length * 8;
  if (bits === 0) return false;
  for (const p of positions(address, bits)) if (((buf[p >> 3] as number) & (1 << (p & 7))) === 0) return false;
  return true;
}
