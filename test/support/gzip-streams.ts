import zlib from 'node:zlib';

/** A gzip member of stored blocks for `stored`, then compressed ones (level 6) for `compressed`, whose matches may reach back into the stored bytes. */
export async function storedThenCompressed(stored: Buffer, compressed: Buffer): Promise<Buffer> {
  // `params` is zlib's deflateParams, missing from @types/node's Gzip.
  const gz = zlib.createGzip({ level: 0 }) as zlib.Gzip & { params(level: number, strategy: number, cb: () => void): void };
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gz.on('end', resolve));
  gz.write(stored);
  await new Promise<void>((resolve) => gz.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
  await new Promise<void>((resolve) => gz.params(6, zlib.constants.Z_DEFAULT_STRATEGY, () => resolve()));
  gz.end(compressed);
  await done;
  return Buffer.concat(out);
}
