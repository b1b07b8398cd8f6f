// Is a layer image really a gzip'd tar? Only its start is read: the gzip header, then
// enough decompressed bytes for the first few tar headers, each decoded by the strict
// tar header reader. A multi-gigabyte layer costs a few kilobytes; the full check is the
// signer's and the unit's.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { ArchiveError } from '../archive/archive-error';
import { gzipHeaderLength } from '../archive/gzip-member';
import { BLOCK, decodeHeader, isZeroBlock } from '../archive/tar-header';

/** How much decompressed tar is looked at: enough for the first entries' headers. */
const PEEK_BYTES = 64 << 10;
/** Headers decoded at most. */
const PEEK_ENTRIES = 8;

export interface LayerContentResult {
  ok: boolean;
  /** Why not, in words, when not ok. */
  problem?: string;
  /** Names of the first entries read. */
  entries: string[];
}

async function readStart(file: string, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks, length);
}

/** The first `max` decompressed bytes of a gzip file (fewer when it holds less); stops reading there. */
function gunzipStart(file: string, max: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const input = createReadStream(file, { signal });
    const gunzip = createGunzip();
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      if (err) reject(err);
      else resolvePromise(Buffer.concat(chunks, length).subarray(0, max));
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= max) finish();
    });
    gunzip.on('end', () => finish());
    gunzip.on('error', (e) => finish(new ArchiveError('gzip', `the gzip data is corrupt (${e.message})`)));
    input.on('error', (e) => finish(e));
    input.pipe(gunzip);
  });
}

/** Checks that `file` starts as a gzip'd tar. I/O errors are thrown; content problems are returned. */
export async function checkLayerContent(file: string, signal?: AbortSignal): Promise<LayerContentResult> {
  const entries: string[] = [];
  try {
    const head = await readStart(file, 1024);
    if (head.length === 0) return { ok: false, problem: 'the file is empty', entries };
    if (gzipHeaderLength(head) === undefined) return { ok: false, problem: 'the file ends inside its gzip header', entries };
    const tar = await gunzipStart(file, PEEK_BYTES, signal);
    let offset = 0;
    while (entries.length < PEEK_ENTRIES && offset + BLOCK <= tar.length) {
      const block = tar.subarray(offset, offset + BLOCK);
      if (isZeroBlock(block)) break; // the end-of-archive marker: an empty layer, still a tar
      const header = decodeHeader(block, offset);
      entries.push(header.name);
      // Only headers are read; a large first file ends the peek, which is enough to know.
      offset += BLOCK + Math.ceil(header.size / BLOCK) * BLOCK;
    }
    if (entries.length === 0 && tar.length < BLOCK) {
      return { ok: false, problem: tar.length === 0 ? 'the gzip data holds nothing (an empty tar has at least its end marker)' : 'the gzip data is too short to hold a tar header', entries };
    }
    return { ok: true, entries };
  } catch (e) {
    if (e instanceof ArchiveError) return { ok: false, problem: e.message, entries };
    throw e;
  }
}
