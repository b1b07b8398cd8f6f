// Cheap detection of incompressible data (random bytes, already-compressed files), so the
// block gzip writer stores such ranges (deflate "stored" blocks, no zlib at all) instead of
// spending gzip -6 effort on them: zlib at level 6 runs at ~20-35 MB/s on random input and
// gains nothing, while storing costs 5 bytes per 64 KiB.
//
// The decision is a pure function of the bytes (the segment and the 32 KiB before it), never
// of timing, chunking or core count, so the output stays reproducible. Per 64 KiB segment:
//   1. order-0 entropy of a strided sample (every 7th byte: a stride coprime with the
//      power-of-two record sizes of binary formats, so a column of int64s cannot pass for
//      noise). Below STORE_MIN_ENTROPY bits per byte the segment is compressed normally.
//   2. for high-entropy segments, a long-match probe: content-defined anchors (every 0x00 byte,
//      found with memchr) keyed by the 8 bytes that follow. An anchor key already seen within
//      deflate's 32 KiB window means repeated content (duplicated compressed files, a repeated
//      random pattern) that deflate would find; past MATCH_SHARE of the segment, compress.
//      (Runs of zeros, such as tar headers, count for what they are: a few hundred bytes.)
export const SEGMENT_SIZE = 64 * 1024;
/** Deflate's window: matches reach at most this far back. */
export const WINDOW_SIZE = 32 * 1024;
export const SAMPLE_STRIDE = 7;
/**
 * Bits per byte at or above which a segment is a candidate for storing: Huffman coding alone
 * could save at most 1 - 7.8/8 = 2.5 % there (LZ matches are checked separately). Random and
 * compressed data measure 7.95-8; machine code 6-7.4, arrays of doubles ~7.5, text 4-6.
 */
export const STORE_MIN_ENTROPY = 7.8;
/**
 * Share of a high-entropy segment found repeated within the window above which it is
 * compressed anyway (storing it forgoes at most about that share; deflating it costs the full
 * gzip -6 effort for that gain).
 */
export const MATCH_SHARE = 1 / 16;
/** Bytes one repeated anchor can stand for. */
const MAX_CREDIT = 1024;
const ANCHOR = 0x00;
const KEY_BYTES = 8;
/** Anchors looked at per segment (bounds the probe's cost on zero-heavy data). */
const MAX_ANCHORS = 2048;

const log2Table = (() => {
  // log2 of every possible sample count, so the entropy needs no Math.log2 in the hot loop.
  const maxSamples = Math.ceil(SEGMENT_SIZE / SAMPLE_STRIDE) + 1;
  const t = new Float64Array(maxSamples + 1);
  for (let i = 1; i <= maxSamples; i++) t[i] = Math.log2(i);
  return t;
})();

const histogram = new Uint32Array(256);

/**
 * Order-0 entropy (bits per byte) of every SAMPLE_STRIDE-th byte of buf[start, end), with the
 * Miller-Madow correction so that short samples of random bytes still measure close to 8.
 */
export function sampledEntropy(buf: Uint8Array, start: number, end: number): number {
  const h = histogram;
  h.fill(0);
  let n = 0;
  for (let i = start; i < end; i += SAMPLE_STRIDE) {
    h[buf[i]]++;
    n++;
  }
  if (n === 0) return 0;
  const table = n < log2Table.length ? log2Table : undefined;
  let sum = 0;
  let used = 0;
  for (let b = 0; b < 256; b++) {
    const c = h[b];
    if (c) {
      sum += c * (table ? table[c] : Math.log2(c));
      used++;
    }
  }
  return (table ? table[n] : Math.log2(n)) - sum / n + (used - 1) / (2 * n * Math.LN2);
}

/** Anchor keys of buf[from, to) (anchor positions only; keys read up to KEY_BYTES further). */
function anchorKey(buf: Buffer, at: number): number {
  // 53 bits of the 8 bytes after the anchor: exact in a double, collisions negligible.
  return buf.readUInt32LE(at + 1) + (buf.readUInt32LE(at + 5) >>> 11) * 0x1_0000_0000;
}

/**
 * Whether buf[start, end) repeats content within deflate's window: `before` is the data that
 * precedes buf (the previous block's tail), used as window when start < WINDOW_SIZE.
 */
export function hasLongMatches(buf: Buffer, start: number, end: number, before?: Buffer): boolean {
  const seen = new Map<number, number>();
  // Window bytes first (keys only), with positions relative to buf (negative in `before`).
  const winStart = start - WINDOW_SIZE;
  if (winStart < 0 && before && before.length) {
    const from = Math.max(0, before.length + winStart);
    for (let i = before.indexOf(ANCHOR, from); i >= 0 && i + KEY_BYTES < before.length; i = before.indexOf(ANCHOR, i + 1)) {
      seen.set(anchorKey(before, i), i - before.length);
    }
  }
  for (let i = buf.indexOf(ANCHOR, Math.max(0, winStart)); i >= 0 && i < start && i + KEY_BYTES < buf.length; i = buf.indexOf(ANCHOR, i + 1)) {
    seen.set(anchorKey(buf, i), i);
  }
  // Each repeated anchor stands for the bytes since the previous anchor (about 256 in
  // high-entropy data, 1 in a run of zeros such as a tar header's), capped.
  let anchors = 0;
  let repeated = 0;
  let last = start;
  for (let i = buf.indexOf(ANCHOR, start); i >= 0 && i < end && i + KEY_BYTES < buf.length && anchors < MAX_ANCHORS; i = buf.indexOf(ANCHOR, i + 1)) {
    anchors++;
    const key = anchorKey(buf, i);
    const prev = seen.get(key);
    if (prev !== undefined && i - prev <= WINDOW_SIZE) repeated += Math.min(i - last, MAX_CREDIT);
    seen.set(key, i);
    last = i;
  }
  return repeated >= (end - start) * MATCH_SHARE;
}

/** Whether buf[start, end) looks incompressible (see the file header). */
export function looksIncompressible(buf: Buffer, start: number, end: number, before?: Buffer): boolean {
  if (end - start < 4096) return false;
  if (sampledEntropy(buf, start, end) < STORE_MIN_ENTROPY) return false;
  return !hasLongMatches(buf, start, end, before);
}

export interface BlockRun {
  start: number;
  end: number;
  /** true: write as stored deflate blocks; false: compress with zlib. */
  store: boolean;
}

/**
 * Splits a block into runs of SEGMENT_SIZE-aligned segments that are stored or compressed,
 * adjacent segments of the same kind merged. A function of (block, before) only.
 */
export function planBlock(block: Buffer, before?: Buffer): BlockRun[] {
  const runs: BlockRun[] = [];
  for (let start = 0; start < block.length; start += SEGMENT_SIZE) {
    const end = Math.min(block.length, start + SEGMENT_SIZE);
    const store = looksIncompressible(block, start, end, before);
    const last = runs[runs.length - 1];
    if (last && last.store === store) last.end = end;
    else runs.push({ start, end, store });
  }
  if (!runs.length) runs.push({ start: 0, end: 0, store: false });
  return runs;
}
