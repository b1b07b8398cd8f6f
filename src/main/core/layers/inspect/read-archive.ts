// Reads a layer image file in one pass: the file's bytes feed the digest's sha256 and (for
// the usual .tar.gz) one strict gunzip, whose output feeds the diff_id's sha256 and the tar
// entry walk, whose small fact files and shared libraries feed the fact readers. The
// legacy form is recognised on the way: a top-level entry named by a sha256 hex is the
// uncompressed layer tar, read by a second tar walk (and hashed) as its bytes pass, and
// `metadata.json` beside it says what it is. Nothing is held but capped fact files.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { ArchiveError } from '../../archive/archive-error';
import { gunzipOneMember } from '../../archive/gzip-member';
import { DEFAULT_TAR_LIMITS, TarReader, type EntrySink, type TarEntry } from '../../archive/tar-reader';
import { FactCollector, type CollectedFacts } from './fact-collector';
import { parseLegacyMetadata, type LegacyMetadata } from './legacy-metadata';
import type { InspectProgress } from './types';

export interface ArchiveRead {
  form: 'oci-layer' | 'legacy';
  /** Whether the file is gzip-compressed (else a plain tar). */
  compressed: boolean;
  digest: string;
  size: number;
  diffId: string;
  tarSize: number;
  facts: CollectedFacts;
  /** The legacy form's metadata, or the reason it could not be read. */
  legacy?: LegacyMetadata | string;
  /** Problems of the image itself (digest mismatches). */
  problems: string[];
}

export interface ReadArchiveOptions {
  signal?: AbortSignal;
  onProgress?: (p: InspectProgress) => void;
  /** Also list every entry (the app's Files tree). */
  listEntries?: boolean;
}

/** More than any layer a unit can hold; beyond it, a decompression bomb. */
const MAX_TAR_BYTES = 64 * 2 ** 30;
const MAX_METADATA_BYTES = 1 << 20;
const LEGACY_TAR_NAME = /^[0-9a-f]{64}(\.tar)?$/;

const TAR_OPTIONS = { specialFiles: true };

/** The legacy form's digest-named layer tar, as it streams through the second walk. */
interface LegacyTar {
  name: string;
  hash: ReturnType<typeof createHash>;
  size: number;
  /** Why it did not read as a tar: fatal only when metadata.json says it is the layer. */
  error?: ArchiveError;
  done: boolean;
}

export async function readLayerArchive(file: string, opts: ReadArchiveOptions = {}): Promise<ArchiveRead> {
  let total: number;
  try {
    total = (await stat(file)).size;
  } catch (e) {
    throw fsFailure(e, 'Cannot read the layer image', file);
  }
  const fileHash = createHash('sha256');
  let size = 0;
  const tarHash = createHash('sha256');
  let tarSize = 0;

  const outer = new FactCollector({ listEntries: opts.listEntries });
  const inner = new FactCollector({ listEntries: opts.listEntries });
  let legacyTar: LegacyTar | undefined;
  let metadataText: string | undefined;

  const innerReader = new TarReader((e) => inner.onEntry(e), DEFAULT_TAR_LIMITS, TAR_OPTIONS);
  const outerReader = new TarReader(
    (e: TarEntry): EntrySink | undefined => {
      const sink = outer.onEntry(e);
      if (e.type !== 'file') return sink;
      if (!legacyTar && LEGACY_TAR_NAME.test(e.path)) return legacySink(e);
      if (e.path === 'metadata.json' && e.size <= MAX_METADATA_BYTES) return both(sink, collect((t) => (metadataText = t)));
      return sink;
    },
    DEFAULT_TAR_LIMITS,
    TAR_OPTIONS,
  );

  /** Feeds the digest-named entry to the second tar walk; it may yet turn out not to be a tar. */
  function legacySink(e: TarEntry): EntrySink {
    const t: LegacyTar = { name: e.path, hash: createHash('sha256'), size: 0, done: false };
    legacyTar = t;
    const fail = (err: unknown) => {
      if (!(err instanceof ArchiveError)) throw err;
      t.error = err;
    };
    return {
      async data(c) {
        t.hash.update(c);
        t.size += c.length;
        if (t.error) return;
        await innerReader.write(c).catch(fail);
      },
      end() {
        if (!t.error) {
          try {
            innerReader.end();
          } catch (err) {
            fail(err);
          }
        }
        t.done = true;
      },
    };
  }

  async function feedTar(chunk: Buffer): Promise<void> {
    tarHash.update(chunk);
    tarSize += chunk.length;
    await outerReader.write(chunk);
  }

  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  async function* fileChunks(): AsyncGenerator<Buffer> {
    for await (const c of stream as AsyncIterable<Buffer>) {
      fileHash.update(c);
      size += c.length;
      opts.onProgress?.({ done: size, total });
      yield c;
    }
  }

  let compressed = false;
  try {
    const chunks = fileChunks();
    const first = await chunks.next();
    const head: Buffer = first.done ? Buffer.alloc(0) : first.value;
    async function* all(): AsyncGenerator<Buffer> {
      if (head.length) yield head;
      yield* chunks;
    }
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      compressed = true;
      await gunzipOneMember(all(), feedTar, { maxBytes: MAX_TAR_BYTES, signal: opts.signal, what: basename(file) });
    } else if (head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar') {
      // An uncompressed layer tar (application/vnd.oci.image.layer.v1.tar): digest = diff_id.
      for await (const c of all()) {
        opts.signal?.throwIfAborted();
        await feedTar(c);
      }
    } else {
      throw new ArchiveError('not-gzip', head.length === 0 ? 'the file is empty' : 'neither a gzip-compressed nor a plain tar');
    }
    outerReader.end();
  } catch (e) {
    stream.destroy();
    if (e instanceof ArchiveError) throw archiveFailure(file, e);
    if (opts.signal?.aborted || (e as Error).name === 'AbortError') throw appError('cancelled', 'Cancelled.');
    throw fsFailure(e, 'Cannot read the layer image', file);
  }

  const digest = `sha256:${fileHash.digest('hex')}`;
  const diffId = `sha256:${tarHash.digest('hex')}`;
  const problems: string[] = [];
  if (legacyTar && metadataText !== undefined) {
    if (legacyTar.error) throw archiveFailure(file, legacyTar.error, `in the layer tar ${legacyTar.name}: `);
    const legacy = parseLegacyMetadata(metadataText);
    const layerDigest = `sha256:${legacyTar.hash.digest('hex')}`;
    if (typeof legacy !== 'string') {
      if (legacy.digest && legacy.digest !== layerDigest) problems.push(`metadata.json gives the digest ${legacy.digest}, but the layer tar ${legacyTar.name} hashes to ${layerDigest}`);
      if (!legacyTar.name.startsWith(layerDigest.slice(7))) problems.push(`the layer tar is named ${legacyTar.name}, but its sha256 is ${layerDigest.slice(7)}`);
      if (legacy.size !== undefined && legacy.size !== legacyTar.size) problems.push(`metadata.json gives the size ${legacy.size}, but the layer tar has ${legacyTar.size} bytes`);
    } else problems.push(legacy);
    return { form: 'legacy', compressed, digest, size, diffId: layerDigest, tarSize: legacyTar.size, facts: inner.finish(), legacy, problems };
  }
  return { form: 'oci-layer', compressed, digest, size, diffId, tarSize, facts: outer.finish(), problems };
}

function collect(done: (text: string) => void): EntrySink {
  const chunks: Buffer[] = [];
  return { data: (c) => void chunks.push(Buffer.from(c)), end: () => done(Buffer.concat(chunks).toString('utf8')) };
}

function both(a: EntrySink | undefined, b: EntrySink): EntrySink {
  if (!a) return b;
  return {
    async data(c) {
      await a.data(c);
      await b.data(c);
    },
    async end() {
      await a.end();
      await b.end();
    },
  };
}

/** An archive problem as an error naming the file and, where known, the entry. */
function archiveFailure(file: string, e: ArchiveError, prefix = '') {
  const entry = e.entry !== undefined ? ` (entry ${e.entry})` : e.offset !== undefined ? ` (at byte ${e.offset} of the tar)` : '';
  return appError('invalid-input', `${file}: not a readable layer image: ${prefix}${e.message}${entry}.`, { file });
}
