// gzip's CRC-32, and the CRC of two byte ranges joined from the CRCs of each (zlib's
// crc32_combine, which Node does not expose). Joining lets a writer checksum a stream whose
// first bytes are only known at the end (the outer archive's tar header of the inner one).
import zlib from 'node:zlib';

export type Crc32 = (data: Uint8Array, value?: number) => number;

let crcTable: Int32Array | undefined;
/** CRC-32 (gzip's) in JS, for runtimes without zlib.crc32 (Node < 20.15). */
export function crc32Js(data: Uint8Array, value = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const zlibCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 of `data` continuing from `value` (zlib's, which is SIMD-fast, where Node has it). */
export const crc32: Crc32 = zlibCrc32 ? (data, value = 0) => (data.length ? zlibCrc32(data, value) : value) : crc32Js;

/** vec times the 32x32 bit matrix `mat` over GF(2). */
function gf2Times(mat: Uint32Array, vec: number): number {
  let sum = 0;
  for (let i = 0; vec !== 0; i++, vec >>>= 1) if (vec & 1) sum ^= mat[i];
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(mat, mat[n]);
}

/**
 * The CRC-32 of A followed by B from crc(A), crc(B) and B's length: crc(A) is advanced over
 * len2 zero bits by repeated squaring of the one-zero-bit operator (O(log len2)), then xored
 * with crc(B), as zlib's crc32_combine does.
 */
export function crc32Combine(crc1: number, crc2: number, len2: number): number {
  if (len2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320; // the operator for one zero bit
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  gf2Square(even, odd); // two zero bits
  gf2Square(odd, even); // four zero bits
  let c = crc1 >>> 0;
  let len = len2;
  // Each round squares the operator (one zero byte, then two, four...) and applies it for each set bit of len.
  for (;;) {
    gf2Square(even, odd);
    if (len % 2) c = gf2Times(even, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
    gf2Square(odd, even);
    if (len % 2) c = gf2Times(odd, c);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (c ^ crc2) >>> 0;
}
