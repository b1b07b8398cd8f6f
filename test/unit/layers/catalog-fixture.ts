// What the catalog tests build on disk: a small layer image (a gzipped tar of a few files
// under ./) and files placed at a path below a root, with their folders.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarStream } from '../../../src/main/core/bundle/archive';

export async function layerImage(files: Record<string, string> = { 'x.py': 'x' }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const parts = [{ kind: 'directory' as const, name: './' }, ...Object.entries(files).map(([name, data]) => ({ kind: 'bytes' as const, name: `./${name}`, data: Buffer.from(data) }))];
  for await (const c of tarStream(parts)) chunks.push(Buffer.from(c));
  return gzipSync(Buffer.concat(chunks));
}

/** Writes `data` at `root`/`rel`, making its folders; returns the path. */
export function put(root: string, rel: string, data: string | Buffer): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}
