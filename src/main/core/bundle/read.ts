// Reads a signed bundle in one streaming pass with the strict readers of core/archive: the
// outer gzip member and tar, and, fed from the same bytes while they are hashed, the inner
// service.tar.gz. A reader stops at the first thing other tools could read differently and
// reports it as a problem; verify fails on any. Memory stays bounded: only config.yaml and
// package.sign are kept (each capped), the inner listing is capped, and the entry checks
// hold one map entry per path.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { CONFIG_MAX_BYTES } from '../../../shared/config-common/limits';
import { ArchiveError } from '../archive/archive-error';
import { EntryTree } from '../archive/entry-tree';
import { formatBytes, gunzipOneMember } from '../archive/gzip-member';
import { TarReader, type EntrySink, type TarEntry } from '../archive/tar-reader';
import { HashThread } from './hash-thread';
import { INNER_ARCHIVE_NAMES, type InnerArchiveName } from './jws';

/** The kind of a signed bundle, told by its inner archive: service.tar.gz (v1) or batch.tar.gz (schemaVersion 2). */
export type BundleKind = 'service' | 'deployment-bundle';
export const BUNDLE_KIND_OF: Readonly<Record<InnerArchiveName, BundleKind>> = { 'service.tar.gz': 'service', 'batch.tar.gz': 'deployment-bundle' };
export const INNER_ARCHIVE_OF: Readonly<Record<BundleKind, InnerArchiveName>> = { service: 'service.tar.gz', 'deployment-bundle': 'batch.tar.gz' };

/** A regular file of a batch.tar.gz, with the digest verify reports for referenced files. */
export interface BatchFileInfo {
  size: number;
  sha256: string;
}

export interface MemberInfo {
  /** Normalised name: no './' prefix or trailing '/'. */
  name: string;
  /** Name as stored. */
  stored: string;
  /** 'File', 'Directory', 'SymbolicLink' or 'Link' (hard link). */
  type: string;
  size: number;
  mode?: number;
  linkpath?: string;
}

export interface InnerListing {
  entries: MemberInfo[];
  truncated: boolean;
  files: number;
  directories: number;
  symlinks: number;
  /** Hard links. */
  other: number;
  bytes: number;
  configBytes?: Buffer;
  hasService: boolean;
  hasDefaultState: boolean;
  /** Top-level names other than config.yaml, service/ and default_state.dat (service.tar.gz only). */
  unexpected: string[];
  /** batch.tar.gz only: every entry (normalised name and type), and each regular file's size and SHA-256. */
  paths?: Map<string, string>;
  files256?: Map<string, BatchFileInfo>;
  /**
   * batch.tar.gz only: every entry as read, so verify can check the links inside each folder
   * config.yaml references against that folder (a rootfs is its own tree once extracted),
   * which the reader cannot do: it meets the entries before it knows the references.
   */
  treeEntries?: TarEntry[];
  problems: string[];
}

export interface BundleContents {
  members: MemberInfo[];
  configBytes?: Buffer;
  packageSign?: Buffer;
  /** Required members present but too large to be what they claim; never read, always a failure. */
  oversized: { name: string; size: number; limit: number }[];
  /** The inner archive's digest (service.tar.gz or batch.tar.gz: see innerName). */
  service?: { size: number; sha3_512: string };
  /** Which inner archive the bundle holds (the first one met), and so its kind. */
  innerName?: InnerArchiveName;
  inner?: InnerListing;
  /** Problems reading the outer archive itself (gzip / tar / entries). */
  problems: string[];
}

/**
 * Limits no real bundle reaches, so that a small hostile file cannot make verify run or
 * allocate without bound. The messages say so.
 */
export const BUNDLE_READ_LIMITS = {
  /** Decompressed size of the outer and of the inner tar. */
  maxTarBytes: 64 * 2 ** 30,
  /** The outer archive holds four entries. */
  maxOuterEntries: 64,
  maxInnerEntries: 1_000_000,
  /** pax header or GNU long name. */
  maxMetaBytes: 1 << 20,
  /** The cap sign, validate and open apply: sign never writes a config verify refuses. */
  maxConfigBytes: CONFIG_MAX_BYTES,
  /** A JWS over two digests and a kid is under 2 KB. */
  maxPackageSignBytes: 64 << 10,
};

/** The most a deflate stream can expand (258-byte matches coded in about 2 bits). */
const DEFLATE_MAX_RATIO = 1032;

const SMALL_MEMBERS: Record<string, number> = {
  'config.yaml': BUNDLE_READ_LIMITS.maxConfigBytes,
  'package.sign': BUNDLE_READ_LIMITS.maxPackageSignBytes,
};

/** A bundle's readers refuse devices and FIFOs; their names are here for completeness only. */
const MEMBER_TYPE: Record<TarEntry['type'], string> = {
  file: 'File',
  directory: 'Directory',
  symlink: 'SymbolicLink',
  hardlink: 'Link',
  'character-device': 'CharacterDevice',
  'block-device': 'BlockDevice',
  fifo: 'FIFO',
};

function info(e: TarEntry): MemberInfo {
  const m: MemberInfo = { name: e.path, stored: e.stored, type: MEMBER_TYPE[e.type], size: e.size, mode: e.mode };
  if (e.linkpath !== undefined) m.linkpath = e.linkpath;
  return m;
}

/** Collects an entry's data whole (its size was checked against the cap before). */
/** Keeps a small member whole: copies of its chunks, since a chunk may be a view of a buffer its source reads into again. */
function collector(done: (b: Buffer) => void): EntrySink {
  const chunks: Buffer[] = [];
  return { data: (c) => void chunks.push(Buffer.from(c)), end: () => done(Buffer.concat(chunks)) };
}

export function describeArchiveError(e: unknown): string {
  if (e instanceof ArchiveError) return e.entry && !e.message.includes(e.entry) ? `${e.entry}: ${e.message}` : e.message;
  return (e as Error).message;
}

function newListing(): InnerListing {
  return { entries: [], truncated: false, files: 0, directories: 0, symlinks: 0, other: 0, bytes: 0, hasService: false, hasDefaultState: false, unexpected: [], problems: [] };
}

/**
 * The inner archive, read while the outer reader streams it. service.tar.gz: links must stay
 * inside service/. batch.tar.gz: its entries are whatever config.yaml references, so each is
 * recorded (and each file hashed) for verify to match against the references; links must stay
 * inside the archive.
 */
function innerReader(name: InnerArchiveName, listLimit: number, maxBytes: number): { sink: EntrySink; listing: InnerListing; done: Promise<void> } {
  const listing = newListing();
  const batch = name === 'batch.tar.gz';
  if (batch) {
    listing.paths = new Map();
    listing.files256 = new Map();
    listing.treeEntries = [];
  }
  const tree = new EntryTree({ linkRoot: batch ? '' : 'service' });
  const unexpected = new Set<string>();
  const tar = new TarReader((e) => {
    tree.add(e);
    listing.paths?.set(e.path, MEMBER_TYPE[e.type]);
    listing.treeEntries?.push(e);
    if (listing.entries.length < listLimit) listing.entries.push(info(e));
    else listing.truncated = true;
    if (e.type === 'file') {
      listing.files++;
      listing.bytes += e.size;
    } else if (e.type === 'directory') listing.directories++;
    else if (e.type === 'symlink') listing.symlinks++;
    else listing.other++;
    const top = e.path.split('/')[0];
    if (e.path === 'config.yaml' && e.type === 'file') {
      if (e.size > BUNDLE_READ_LIMITS.maxConfigBytes) {
        throw new ArchiveError('limit', `config.yaml is ${formatBytes(e.size)}, more than the ${formatBytes(BUNDLE_READ_LIMITS.maxConfigBytes)} a config may have`, e.stored, e.offset);
      }
      return collector((b) => (listing.configBytes = b));
    }
    if (batch) {
      if (e.type !== 'file') return undefined;
      const sha256 = createHash('sha256');
      return {
        data: (c) => void sha256.update(c),
        end: () => void listing.files256!.set(e.path, { size: e.size, sha256: sha256.digest('hex') }),
      };
    }
    if (top === 'service') {
      if (e.path === 'service' && e.type !== 'directory') throw new ArchiveError('entry-type', `service is a ${e.type}, not a folder`, e.stored, e.offset);
      listing.hasService = true;
    } else if (e.path === 'default_state.dat' && e.type === 'file') listing.hasDefaultState = true;
    else if (e.path !== '' && !unexpected.has(top)) {
      unexpected.add(top);
      listing.unexpected.push(top);
    }
    return undefined;
  }, { maxEntries: BUNDLE_READ_LIMITS.maxInnerEntries, maxMetaBytes: BUNDLE_READ_LIMITS.maxMetaBytes });

  const input = new PassThrough({ highWaterMark: 1 << 20 });
  // Writes that race the reader's failure must not become unhandled 'error' events.
  input.on('error', () => {});
  let failed = false;
  const done = gunzipOneMember(input, (c) => tar.write(c), { maxBytes, what: name })
    .then(() => {
      tar.end();
      tree.finish();
    })
    .catch((e: unknown) => {
      failed = true;
      listing.problems.push(describeArchiveError(e));
      input.resume(); // keep accepting the outer's bytes so hashing goes on
    });
  let ended = false;
  const sink: EntrySink = {
    async data(c) {
      if (failed) return;
      if (!input.write(c)) await Promise.race([once(input, 'drain'), done]);
    },
    end() {
      if (ended) return;
      ended = true;
      input.end();
    },
  };
  return { sink, listing, done };
}

async function* tapped(source: AsyncIterable<Buffer>, tap?: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    tap?.(chunk);
    yield chunk;
  }
}

export async function readBundleContents(
  file: string,
  opts: {
    listLimit?: number;
    signal?: AbortSignal;
    /** Members and small files only: the inner archive is neither hashed nor read (upload). */
    skipInner?: boolean;
    /** Sees every byte of the file as read (upload hashes the file in this same pass). */
    onFileBytes?: (chunk: Buffer) => void;
    /**
     * The file's bytes from elsewhere than a read of `file` (upload: the very chunks it sends).
     * Each chunk must be a buffer of its own, never written to again.
     */
    source?: AsyncIterable<Buffer>;
    /** The source writes into a chunk again once the next is asked for (gunzipOneMember's `chunksReused`). */
    sourceReused?: boolean;
  } = {},
): Promise<BundleContents> {
  const contents: BundleContents = { members: [], oversized: [], problems: [] };
  const tree = new EntryTree({ linkRoot: '' });
  // One deflate pass expands at most 1032 times; an inner archive that unpacks to more
  // than that times the whole bundle was compressed twice over: a decompression bomb.
  const innerLimit = opts.skipInner ? 0 : Math.min(BUNDLE_READ_LIMITS.maxTarBytes, DEFLATE_MAX_RATIO * (await stat(file)).size + (1 << 20));
  let innerDone: Promise<void> | undefined;
  let innerSink: EntrySink | undefined;
  let hasher: HashThread | undefined;
  const outer = new TarReader((e) => {
    tree.add(e);
    contents.members.push(info(e));
    if (e.type !== 'file') return undefined;
    const cap = SMALL_MEMBERS[e.path];
    if (cap !== undefined) {
      // A required member that cannot be read whole is a failure, never a skipped check.
      if (e.size > cap) {
        contents.oversized.push({ name: e.path, size: e.size, limit: cap });
        return undefined;
      }
      return collector((b) => {
        if (e.path === 'config.yaml') contents.configBytes = b;
        else contents.packageSign = b;
      });
    }
    // The first inner archive met is the bundle's; a second one is an unexpected member.
    const innerName = INNER_ARCHIVE_NAMES.find((n) => n === e.path);
    if (!innerName || contents.innerName || opts.skipInner) return undefined;
    contents.innerName = innerName;
    // SHA3-512 at ~200 MB/s is the slowest part of a verify: on a worker thread, beside the
    // inflating and reading of the inner archive here.
    const sha3 = (hasher ??= new HashThread(['sha3-512']));
    let size = 0;
    const inner = innerReader(innerName, opts.listLimit ?? 1000, innerLimit);
    contents.inner = inner.listing;
    innerDone = inner.done;
    innerSink = inner.sink;
    return {
      async data(c) {
        size += c.length;
        // The copy for the worker is taken at once; inflating goes on while it hashes.
        const room = sha3.update(c);
        await inner.sink.data(c);
        if (room) await room;
      },
      async end() {
        inner.sink.end();
        contents.service = { size, sha3_512: (await sha3.digest())[0] };
      },
    };
  }, { maxEntries: BUNDLE_READ_LIMITS.maxOuterEntries, maxMetaBytes: BUNDLE_READ_LIMITS.maxMetaBytes });

  try {
    try {
      await gunzipOneMember(tapped(opts.source ?? createReadStream(file, { highWaterMark: 1 << 20 }), opts.onFileBytes), (c) => outer.write(c), {
        maxBytes: BUNDLE_READ_LIMITS.maxTarBytes,
        signal: opts.signal,
        chunksReused: opts.sourceReused,
      });
      outer.end();
      tree.finish();
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      const code = (e as NodeJS.ErrnoException).code;
      contents.problems.push(code && !(e instanceof ArchiveError) ? `cannot read ${file}: ${code}` : describeArchiveError(e));
    }
    // An inner archive cut off by an outer problem ends here; its reader then reports it.
    await innerSink?.end();
    if (innerDone) await innerDone;
  } finally {
    await hasher?.close();
  }
  return contents;
}

/** The outer members, config.yaml and problems of a bundle (the inner archive neither read nor hashed). */
export type BundleMemberList = Pick<BundleContents, 'members' | 'configBytes' | 'problems'>;

export async function readBundleMemberList(
  file: string,
  opts: { signal?: AbortSignal; source?: AsyncIterable<Buffer>; sourceReused?: boolean; onFileBytes?: (chunk: Buffer) => void } = {},
): Promise<BundleMemberList> {
  const c = await readBundleContents(file, { listLimit: 0, signal: opts.signal, skipInner: true, source: opts.source, sourceReused: opts.sourceReused, onFileBytes: opts.onFileBytes });
  return { members: c.members, configBytes: c.configBytes, problems: c.problems };
}

/**
 * The bundle's config.yaml, read from the start of the file and no further: sign writes it
 * as the first file member (spec §3: ./, config.yaml, the inner archive, package.sign), so
 * this reads a few KB. Undefined when the first file member is not config.yaml or the start
 * of the file is not readable that far. It checks nothing else: upload opens its request
 * from it and holds the request's end until readBundleContents has read the whole bundle.
 */
export async function readBundleConfigFirst(file: string, opts: { signal?: AbortSignal } = {}): Promise<Buffer | undefined> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let config: Buffer | undefined;
  const outer = new TarReader((e) => {
    if (e.type !== 'file') return undefined;
    if (e.path !== 'config.yaml' || e.size > BUNDLE_READ_LIMITS.maxConfigBytes) {
      stop.abort();
      return undefined;
    }
    return collector((b) => {
      config = b;
      stop.abort();
    });
  }, { maxEntries: BUNDLE_READ_LIMITS.maxOuterEntries, maxMetaBytes: BUNDLE_READ_LIMITS.maxMetaBytes });
  try {
    await gunzipOneMember(createReadStream(file, { highWaterMark: 64 << 10 }), (c) => (stop.signal.aborted ? undefined : outer.write(c)), {
      maxBytes: BUNDLE_READ_LIMITS.maxTarBytes,
      signal: stop.signal,
    });
  } catch {
    // Stopped once config.yaml was read, or unreadable: either way `config` is what was found
    // (the full read says what is wrong with the file).
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (opts.signal?.aborted) throw opts.signal.reason;
  return config;
}
