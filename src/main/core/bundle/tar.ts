// A minimal, deterministic tar header writer: POSIX ustar headers plus pax extended headers
// (typeflag 'x') for what ustar cannot hold (paths or link targets longer than 100 bytes or
// not ASCII, sizes of 8 GiB and more, owners above ustar's 7 octal digits). Nothing time- or
// host-dependent is ever written: the caller passes the mtime (normally the fixed
// BUNDLE_MTIME) and the numeric owner (0:0 unless given, as bundles have); user and group
// names always stay empty, as `tar --numeric-owner` writes them.
export const BLOCK = 512;
/** Tar streams end with two zero blocks and are padded to a 10 KiB record, like GNU tar and Python's tarfile. */
export const RECORD = 20 * BLOCK;
/** Largest size a ustar header holds (8 GiB - 1); larger ones need a pax `size` record. */
export const USTAR_MAX_SIZE = 0o77777777777;
const USTAR_MAX_ID = 0o7777777;

/** 'hardlink': another name of an earlier file of the archive (`linkpath` is its archive path). */
export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

export interface TarEntry {
  /** Archive path, e.g. './service/bin/run'; directories end with '/'. */
  path: string;
  type: TarEntryType;
  /** Content size (files only). */
  size: number;
  /** Permission bits. */
  mode: number;
  mtime: number;
  linkpath?: string;
  /** Numeric owner; 0 when absent. */
  uid?: number;
  gid?: number;
}

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  const b = Buffer.from(value, 'utf8');
  b.copy(buf, offset, 0, Math.min(b.length, length));
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits, zero-padded, then NUL.
  const s = Math.floor(value).toString(8).padStart(length - 1, '0');
  buf.write(`${s}\0`, offset, length, 'ascii');
}

/** One pax record: "<len> <key>=<value>\n", where len counts the whole record. */
export function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body, 'utf8');
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.from(`${len}${body}`, 'utf8');
}

/** A placeholder for the ustar name field when the real name lives in a pax record. */
function asciiFallback(p: string, max: number): string {
  let s = p.replace(/[^\x20-\x7e]/g, '_');
  if (Buffer.byteLength(s) > max) s = s.slice(0, max);
  return s;
}

function ustarHeader(fields: { name: string; mode: number; size: number; mtime: number; typeflag: string; linkname?: string; uid?: number; gid?: number }): Buffer {
  const h = Buffer.alloc(BLOCK);
  writeString(h, 0, 100, fields.name);
  writeOctal(h, 100, 8, fields.mode);
  writeOctal(h, 108, 8, fields.uid ?? 0);
  writeOctal(h, 116, 8, fields.gid ?? 0);
  writeOctal(h, 124, 12, fields.size);
  writeOctal(h, 136, 12, fields.mtime);
  h.fill(0x20, 148, 156); // checksum placeholder: spaces
  h.write(fields.typeflag, 156, 1, 'ascii');
  if (fields.linkname) writeString(h, 157, 100, fields.linkname);
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  // uname (265) and gname (297) stay empty.
  writeOctal(h, 329, 8, 0); // devmajor
  writeOctal(h, 337, 8, 0); // devminor
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

const TYPEFLAGS: Record<TarEntryType, string> = { file: '0', hardlink: '1', symlink: '2', directory: '5' };

export function paddingFor(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** Header block(s) for an entry: an optional pax header with its data, then the ustar header. */
export function entryHeader(e: TarEntry): Buffer {
  const records: Buffer[] = [];
  const pathBytes = Buffer.byteLength(e.path, 'utf8');
  if (pathBytes > 100 || !isAscii(e.path)) records.push(paxRecord('path', e.path));
  if (e.linkpath !== undefined && (Buffer.byteLength(e.linkpath, 'utf8') > 100 || !isAscii(e.linkpath))) {
    records.push(paxRecord('linkpath', e.linkpath));
  }
  const size = e.type === 'file' ? e.size : 0;
  const bigSize = size > USTAR_MAX_SIZE;
  if (bigSize) records.push(paxRecord('size', String(size)));
  const uid = e.uid ?? 0;
  const gid = e.gid ?? 0;
  if (uid > USTAR_MAX_ID) records.push(paxRecord('uid', String(uid)));
  if (gid > USTAR_MAX_ID) records.push(paxRecord('gid', String(gid)));
  const typeflag = TYPEFLAGS[e.type];
  const main = ustarHeader({
    name: records.length ? asciiFallback(e.path, 100) : e.path,
    mode: e.mode,
    size: bigSize ? 0 : size,
    mtime: e.mtime,
    typeflag,
    uid: uid > USTAR_MAX_ID ? 0 : uid,
    gid: gid > USTAR_MAX_ID ? 0 : gid,
    linkname: e.linkpath === undefined ? undefined : isAscii(e.linkpath) && Buffer.byteLength(e.linkpath) <= 100 ? e.linkpath : asciiFallback(e.linkpath, 100),
  });
  if (!records.length) return main;
  const data = Buffer.concat(records);
  const pax = ustarHeader({ name: '././@PaxHeader', mode: 0o644, size: data.length, mtime: e.mtime, typeflag: 'x' });
  return Buffer.concat([pax, data, Buffer.alloc(paddingFor(data.length)), main]);
}

/** The end of archive: two zero blocks, then zero padding up to a whole record. */
export function trailer(bytesWritten: number): Buffer {
  const end = bytesWritten + 2 * BLOCK;
  return Buffer.alloc(2 * BLOCK + ((RECORD - (end % RECORD)) % RECORD));
}

/** Normalised modes: directories 0755; files 0755 when any execute bit is set, else 0644; links 0777. */
export function normalMode(type: TarEntryType, diskMode: number): number {
  if (type === 'directory') return 0o755;
  if (type === 'symlink') return 0o777;
  return diskMode & 0o111 ? 0o755 : 0o644;
}
