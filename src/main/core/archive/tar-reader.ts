// A streaming, strict tar reader for archives other tools made. It reads ustar, pax and GNU
// long names, and it refuses, instead of guessing, whatever GNU tar and Python's tarfile
// could read differently: headers with bad checksums, pax headers it cannot read whole, a
// name given by both a pax record and a GNU long-name entry, entries whose data a reader
// would skip or not skip depending on its type, and anything after the end-of-archive
// blocks. Memory is bounded: entry data is streamed to the visitor, only pax and long-name
// data (capped) is held.
import { ArchiveError } from './archive-error';
import { BLOCK, decodeHeader, isZeroBlock, parsePaxRecords, type RawHeader } from './tar-header';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | SpecialEntryType;

/** Entries only a reader given `specialFiles` yields (a layer's /dev, overlayfs whiteouts). */
export type SpecialEntryType = 'character-device' | 'block-device' | 'fifo';

export interface TarEntry {
  /** Normalised path: no './' or empty components, no trailing '/'; '' is the archive root. */
  path: string;
  /** The name as stored (after pax / GNU long names), for messages. */
  stored: string;
  type: TarEntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Symlink target as stored, or the normalised hard-link target. */
  linkpath?: string;
  /** Offset of the entry's first header block in the tar stream. */
  offset: number;
  /** Device numbers of a character or block device. */
  device?: { major: number; minor: number };
}

/** Receives an entry's data; may return a promise to hold the reader back. */
export interface EntrySink {
  data(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
}

export interface TarLimits {
  /** Entries (of any type) in the archive. */
  maxEntries: number;
  /** Bytes of one pax header or GNU long name. */
  maxMetaBytes: number;
}

export const DEFAULT_TAR_LIMITS: TarLimits = { maxEntries: 1_000_000, maxMetaBytes: 1 << 20 };

export interface TarReaderOptions {
  /**
   * Yield character and block devices and FIFOs as entries instead of refusing them. A
   * bundle never holds one (verify refuses them), but a layer may: it is a root file
   * system, and an inspection must be able to report what a faulty one ships.
   */
  specialFiles?: boolean;
}

const SPECIAL_TYPES: Record<string, SpecialEntryType> = { '3': 'character-device', '4': 'block-device', '6': 'fifo' };

/** Longest path and component a unit's file system can create. */
const MAX_PATH_BYTES = 4096;
const MAX_COMPONENT_BYTES = 255;

/** pax keywords that change how an entry is read; the rest (times, names of owners, xattrs) do not. */
const NUMERIC_KEYWORDS = new Set(['size', 'uid', 'gid']);
const NAME_KEYWORDS = new Set(['path', 'linkpath']);
const TIME_KEYWORDS = new Set(['mtime', 'atime', 'ctime']);

type State =
  | { kind: 'header' }
  | { kind: 'meta'; typeflag: string; remaining: number; padding: number; chunks: Buffer[]; offset: number }
  | { kind: 'data'; remaining: number; padding: number; sink?: EntrySink }
  | { kind: 'padding'; remaining: number }
  | { kind: 'end' };

const TYPE_NAMES: Record<string, string> = {
  '3': 'character device',
  '4': 'block device',
  '6': 'FIFO',
  S: 'GNU sparse file',
  D: 'GNU dump directory',
  M: 'GNU multi-volume continuation',
  V: 'GNU volume label',
  N: 'GNU old long name',
};

/** Splits a stored name into components, refusing absolute names and '..' anywhere. */
export function normaliseEntryPath(stored: string, offset: number): string {
  if (stored === '') throw new ArchiveError('entry-name', 'an entry has an empty name', stored, offset);
  if (stored.includes('\0')) throw new ArchiveError('entry-name', `the name ${JSON.stringify(stored)} contains a NUL byte`, stored, offset);
  if (stored.startsWith('/')) throw new ArchiveError('entry-name', `the name ${stored} is absolute`, stored, offset);
  if (Buffer.byteLength(stored) > MAX_PATH_BYTES) throw new ArchiveError('entry-name', `the name ${stored.slice(0, 60)}… is longer than ${MAX_PATH_BYTES} bytes`, stored, offset);
  const parts: string[] = [];
  for (const part of stored.split('/')) {
    if (part === '' || part === '.') continue;
    // GNU tar skips members with '..' in their names; other tools extract them.
    if (part === '..') throw new ArchiveError('entry-name', `the name ${stored} contains '..'`, stored, offset);
    if (Buffer.byteLength(part) > MAX_COMPONENT_BYTES) throw new ArchiveError('entry-name', `a component of ${stored} is longer than ${MAX_COMPONENT_BYTES} bytes`, stored, offset);
    parts.push(part);
  }
  return parts.join('/');
}

export class TarReader {
  private state: State = { kind: 'header' };
  /** Bytes of an incomplete header or meta block carried to the next chunk. */
  private carry: Buffer | undefined;
  private position = 0;
  private entries = 0;
  private zeroBlocks = 0;
  private pax: Map<string, string> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;
  /** Where the pending pax / long-name headers of the next entry began. */
  private pendingOffset: number | undefined;

  constructor(
    private readonly onEntry: (entry: TarEntry) => EntrySink | undefined | Promise<EntrySink | undefined>,
    private readonly limits: TarLimits = DEFAULT_TAR_LIMITS,
    private readonly options: TarReaderOptions = {},
  ) {}

  /** Bytes of tar stream read so far. */
  get bytesRead(): number {
    return this.position;
  }

  async write(chunk: Buffer): Promise<void> {
    let buf = chunk;
    if (this.carry) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let i = 0;
    while (i < buf.length) {
      const s = this.state;
      if (s.kind === 'data') {
        if (s.remaining > 0) {
          const n = Math.min(s.remaining, buf.length - i);
          if (s.sink) await s.sink.data(buf.subarray(i, i + n));
          s.remaining -= n;
          i += n;
          this.position += n;
          if (s.remaining > 0) continue;
        }
        if (s.sink) await s.sink.end();
        this.state = s.padding ? { kind: 'padding', remaining: s.padding } : { kind: 'header' };
        continue;
      }
      if (s.kind === 'padding') {
        const n = Math.min(s.remaining, buf.length - i);
        s.remaining -= n;
        i += n;
        this.position += n;
        if (s.remaining === 0) this.state = { kind: 'header' };
        continue;
      }
      if (s.kind === 'meta') {
        const n = Math.min(s.remaining + s.padding, buf.length - i);
        const take = Math.min(n, s.remaining);
        if (take) s.chunks.push(Buffer.from(buf.subarray(i, i + take)));
        s.remaining -= take;
        s.padding -= n - take;
        i += n;
        this.position += n;
        if (s.remaining === 0 && s.padding === 0) this.finishMeta(s);
        continue;
      }
      // header or end: whole blocks only.
      if (buf.length - i < BLOCK) {
        this.carry = Buffer.from(buf.subarray(i));
        return;
      }
      const block = buf.subarray(i, i + BLOCK);
      i += BLOCK;
      const offset = this.position;
      this.position += BLOCK;
      if (s.kind === 'end') {
        if (!isZeroBlock(block)) throw new ArchiveError('trailing-data', 'data after the end-of-archive blocks (other tools stop reading there)', undefined, offset);
        this.zeroBlocks++;
        continue;
      }
      if (isZeroBlock(block)) {
        if (this.pax || this.longName !== undefined || this.longLink !== undefined) {
          throw new ArchiveError('pax', 'an extended header is followed by the end of the archive', undefined, this.pendingOffset);
        }
        this.state = { kind: 'end' };
        this.zeroBlocks = 1;
        continue;
      }
      await this.header(decodeHeader(block, offset), offset);
    }
  }

  /** The stream has ended: it must have ended cleanly, after the end-of-archive blocks. */
  end(): void {
    if (this.carry || this.state.kind !== 'end' || this.zeroBlocks < 2) {
      const where = this.state.kind === 'data' || this.state.kind === 'meta' ? 'inside an entry' : 'before the end-of-archive blocks';
      throw new ArchiveError('truncated', `the archive ends ${where}: it is truncated`, undefined, this.position);
    }
  }

  private async header(h: RawHeader, offset: number): Promise<void> {
    const t = h.typeflag;
    if (t === 'x' || t === 'g' || t === 'L' || t === 'K') {
      if (h.size > this.limits.maxMetaBytes) {
        throw new ArchiveError('pax', `an extended header of ${h.size} bytes (more than ${this.limits.maxMetaBytes}: no real bundle has one)`, undefined, offset);
      }
      if (t === 'x' && this.pax) throw new ArchiveError('pax', 'two pax headers for one entry', undefined, offset);
      if (t === 'L' && this.longName !== undefined) throw new ArchiveError('pax', 'two GNU long names for one entry', undefined, offset);
      if (t === 'K' && this.longLink !== undefined) throw new ArchiveError('pax', 'two GNU long link names for one entry', undefined, offset);
      if (t !== 'g') this.pendingOffset ??= offset;
      const padding = (BLOCK - (h.size % BLOCK)) % BLOCK;
      this.state = { kind: 'meta', typeflag: t, remaining: h.size, padding, chunks: [], offset };
      if (h.size === 0) this.finishMeta(this.state);
      return;
    }
    const entryOffset = this.pendingOffset ?? offset;
    if (++this.entries > this.limits.maxEntries) {
      throw new ArchiveError('limit', `more than ${this.limits.maxEntries} entries (no real bundle has as many)`, undefined, entryOffset);
    }
    const entry = this.entryOf(h, entryOffset);
    this.pax = undefined;
    this.longName = undefined;
    this.longLink = undefined;
    this.pendingOffset = undefined;
    const sink = (await this.onEntry(entry)) ?? undefined;
    const size = entry.size;
    this.state = { kind: 'data', remaining: size, padding: (BLOCK - (size % BLOCK)) % BLOCK, sink };
    if (size === 0) {
      if (sink) await sink.end();
      this.state = { kind: 'header' };
    }
  }

  private finishMeta(s: Extract<State, { kind: 'meta' }>): void {
    const data = Buffer.concat(s.chunks);
    this.state = { kind: 'header' };
    if (s.typeflag === 'L' || s.typeflag === 'K') {
      const end = data.indexOf(0);
      let name: string;
      try {
        name = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, end === -1 ? data.length : end));
      } catch {
        throw new ArchiveError('entry-name', 'a GNU long name is not valid UTF-8', undefined, s.offset);
      }
      if (s.typeflag === 'L') this.longName = name;
      else this.longLink = name;
      return;
    }
    const records = parsePaxRecords(data, s.offset);
    if (s.typeflag === 'g') {
      // git archive writes a global comment; anything else would apply to every later
      // entry, and not every reader applies it.
      for (const k of records.keys()) {
        if (k !== 'comment') throw new ArchiveError('pax', `a global pax header sets ${k} (refused: readers apply global headers differently)`, undefined, s.offset);
      }
      return;
    }
    for (const [k, v] of records) {
      if (k.startsWith('GNU.sparse.')) throw new ArchiveError('entry-type', 'a GNU sparse file (refused: readers without sparse support see other data)', undefined, s.offset);
      // GNU.volume.*, GNU.dumpdir: GNU tar makes extra entries of them, others ignore them.
      if (k.startsWith('GNU.')) throw new ArchiveError('pax', `the GNU-only pax keyword ${k} (other readers ignore it)`, undefined, s.offset);
      if (k === 'hdrcharset' && v !== 'ISO-IR 10646 2000 UTF-8') throw new ArchiveError('pax', `names in a ${v} charset are refused`, undefined, s.offset);
      if ((NUMERIC_KEYWORDS.has(k) || NAME_KEYWORDS.has(k)) && v === '') {
        throw new ArchiveError('pax', `an empty pax ${k} (readers differ on what it means)`, undefined, s.offset);
      }
      if (NUMERIC_KEYWORDS.has(k) && !/^[0-9]{1,16}$/.test(v)) throw new ArchiveError('pax', `the pax ${k} ${JSON.stringify(v)} is not a number`, undefined, s.offset);
      if ((k === 'uid' || k === 'gid') && Number(v) > 0xffffffff) throw new ArchiveError('pax', `the pax ${k} ${v} is out of range`, undefined, s.offset);
      if (TIME_KEYWORDS.has(k) && !/^-?[0-9]{1,19}(\.[0-9]{1,9})?$/.test(v)) throw new ArchiveError('pax', `the pax ${k} ${JSON.stringify(v)} is not a time`, undefined, s.offset);
    }
    this.pax = records;
  }

  private entryOf(h: RawHeader, offset: number): TarEntry {
    const pax = this.pax;
    if (pax?.has('path') && this.longName !== undefined) throw new ArchiveError('pax', 'both a pax path and a GNU long name', undefined, offset);
    if (pax?.has('linkpath') && this.longLink !== undefined) throw new ArchiveError('pax', 'both a pax linkpath and a GNU long link name', undefined, offset);
    const stored = pax?.get('path') ?? this.longName ?? h.name;
    const linkStored = pax?.get('linkpath') ?? this.longLink ?? h.linkname;
    const size = pax?.has('size') ? Number(pax.get('size')) : h.size;
    if (!Number.isSafeInteger(size)) throw new ArchiveError('pax', `the size of ${stored} is too large`, stored, offset);
    const t = h.typeflag;
    let type: TarEntryType;
    if (t === '0' || t === '\0' || t === '7') type = 'file';
    else if (t === '5') type = 'directory';
    else if (t === '2') type = 'symlink';
    else if (t === '1') type = 'hardlink';
    else if (this.options.specialFiles && SPECIAL_TYPES[t]) type = SPECIAL_TYPES[t];
    else {
      const what = TYPE_NAMES[t] ?? `unknown type ${JSON.stringify(t)}`;
      throw new ArchiveError('entry-type', `${stored} is a ${what} entry (refused)`, stored, offset);
    }
    // Readers skip a non-file entry's data or not depending on its type: the next header
    // would then be found at different places.
    if (type !== 'file' && size !== 0) throw new ArchiveError('tar-header', `${stored} is a ${type} with ${size} bytes of data`, stored, offset);
    // An old-style regular file whose name ends in '/' is a folder to some readers only.
    // tarfile decides that from the header's own name, before a pax path or GNU long name
    // replaces it, and then reads the entry's data as more headers: check both names.
    if (type !== 'directory' && (stored.endsWith('/') || h.name.endsWith('/'))) {
      throw new ArchiveError('entry-name', `${stored} ${stored.endsWith('/') ? '' : `(header name ${h.name}) `}ends with '/' but is a ${type}`, stored, offset);
    }
    const path = normaliseEntryPath(stored, offset);
    if (path === '' && type !== 'directory') throw new ArchiveError('entry-name', `${stored} names the archive root but is a ${type}`, stored, offset);
    const entry: TarEntry = {
      path,
      stored,
      type,
      size,
      mode: h.mode,
      uid: pax?.has('uid') ? Number(pax.get('uid')) : h.uid,
      gid: pax?.has('gid') ? Number(pax.get('gid')) : h.gid,
      offset,
    };
    if (type === 'character-device' || type === 'block-device') entry.device = { major: h.devmajor, minor: h.devminor };
    if (type === 'symlink') {
      if (linkStored === '') throw new ArchiveError('link', `the symlink ${stored} has no target`, stored, offset);
      if (linkStored.includes('\0')) throw new ArchiveError('link', `the target of ${stored} contains a NUL byte`, stored, offset);
      entry.linkpath = linkStored;
    } else if (type === 'hardlink') {
      if (linkStored === '' || linkStored.startsWith('/')) throw new ArchiveError('link', `the hard link ${stored} has ${linkStored ? 'an absolute' : 'no'} target`, stored, offset);
      entry.linkpath = normaliseEntryPath(linkStored, offset);
    }
    return entry;
  }
}
