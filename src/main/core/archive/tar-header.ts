// Pure decoding of tar header blocks and pax records, strictly: every field is read the
// way both GNU tar and Python's tarfile read it, and any header on which they could
// disagree (a checksum either would refuse, a numeric field with stray characters, a
// prefix field a GNU header does not have, a pax record whose length is off) is an error.
import { ArchiveError } from './archive-error';

export const BLOCK = 512;

export type HeaderFormat = 'ustar' | 'gnu' | 'v7';

export interface RawHeader {
  /** The name as the header block holds it (ustar prefix joined), before pax or GNU long names. */
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** The type flag character ('0', '5', 'x', ...; '\0' for old regular files). */
  typeflag: string;
  format: HeaderFormat;
  /** Device numbers of a character or block device entry (ustar and GNU headers; 0 otherwise). */
  devmajor: number;
  devminor: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes up to the first NUL, decoded as UTF-8; a name that is not UTF-8 is refused. */
function text(block: Buffer, start: number, length: number, field: string, offset: number): string {
  const end = block.indexOf(0, start);
  const bytes = block.subarray(start, end === -1 || end > start + length ? start + length : end);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ArchiveError('entry-name', `the header's ${field} is not valid UTF-8`, undefined, offset);
  }
}

/**
 * A numeric field: octal digits after optional leading spaces, ended by spaces or NULs
 * (GNU tar refuses anything else; Python's tarfile reads up to the first NUL and then
 * refuses what int() cannot parse), or GNU's base-256 form for large values.
 */
export function parseNumeric(field: Buffer, name: string, offset: number): number {
  if (field[0] === 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i];
    if (!Number.isSafeInteger(n)) throw new ArchiveError('tar-header', `the header's ${name} field is too large`, undefined, offset);
    return n;
  }
  if (field[0] === 0xff) throw new ArchiveError('tar-header', `the header's ${name} field is negative`, undefined, offset);
  let i = 0;
  while (i < field.length && field[i] === 0x20) i++;
  let n = 0;
  let digits = 0;
  for (; i < field.length && field[i] >= 0x30 && field[i] <= 0x37; i++, digits++) n = n * 8 + (field[i] - 0x30);
  for (; i < field.length; i++) {
    if (field[i] !== 0x20 && field[i] !== 0) {
      throw new ArchiveError('tar-header', `the header's ${name} field holds ${JSON.stringify(field.toString('latin1'))}, not an octal number`, undefined, offset);
    }
  }
  if (digits === 0) {
    // All NULs read as 0 everywhere; blanks without digits are 0 to tarfile but an error
    // to GNU tar, which then skips ahead looking for the next header.
    if (field.some((b) => b !== 0)) throw new ArchiveError('tar-header', `the header's ${name} field is blank`, undefined, offset);
    return 0;
  }
  return n;
}

function checksums(block: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

export const isZeroBlock = (block: Buffer): boolean => {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
};

function formatOf(block: Buffer, offset: number): HeaderFormat {
  const magic = block.toString('latin1', 257, 265);
  if (magic === 'ustar\u000000') return 'ustar';
  if (magic === 'ustar  \u0000') return 'gnu';
  if (isZeroRange(block, 257, 265)) return 'v7';
  throw new ArchiveError('tar-header', `unknown tar header format (magic ${JSON.stringify(magic)})`, undefined, offset);
}

function isZeroRange(block: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (block[i] !== 0) return false;
  return true;
}

/** Decodes one non-zero header block. `offset` is its position, for messages. */
export function decodeHeader(block: Buffer, offset: number): RawHeader {
  const stored = block.subarray(148, 156);
  const digits = stored.toString('latin1').replace(/[\0 ]+$/, '').trim();
  if (!/^[0-7]+$/.test(digits)) throw new ArchiveError('tar-header', 'not a tar header (no checksum)', undefined, offset);
  const want = parseNumeric(stored, 'checksum', offset);
  const got = checksums(block);
  if (want !== got.unsigned && want !== got.signed) {
    throw new ArchiveError('tar-header', `tar header checksum does not match (stored ${want}, computed ${got.unsigned})`, undefined, offset);
  }
  const format = formatOf(block, offset);
  let name = text(block, 0, 100, 'name', offset);
  if (format === 'ustar') {
    const prefix = text(block, 345, 155, 'prefix', offset);
    if (prefix) name = `${prefix}/${name}`;
  } else if (!isZeroRange(block, 345, 500)) {
    // Python's tarfile joins these bytes to the name as a ustar prefix; GNU tar reads them
    // as GNU atime/ctime/sparse fields. Which name a unit sees would depend on the tool.
    throw new ArchiveError('tar-header', `a ${format === 'gnu' ? 'GNU' : 'v7'} header with data in its prefix area (tools disagree on the name)`, undefined, offset);
  }
  return {
    name,
    linkname: text(block, 157, 100, 'link name', offset),
    mode: parseNumeric(block.subarray(100, 108), 'mode', offset),
    uid: parseNumeric(block.subarray(108, 116), 'uid', offset),
    gid: parseNumeric(block.subarray(116, 124), 'gid', offset),
    size: parseNumeric(block.subarray(124, 136), 'size', offset),
    mtime: parseNumeric(block.subarray(136, 148), 'mtime', offset),
    typeflag: String.fromCharCode(block[156]),
    format,
    ...deviceNumbers(block, format, offset),
  };
}

/** Only device entries use these fields; elsewhere, as tarfile does, what they hold is ignored. */
function deviceNumbers(block: Buffer, format: HeaderFormat, offset: number): { devmajor: number; devminor: number } {
  const t = block[156];
  if (format === 'v7' || (t !== 0x33 && t !== 0x34)) return { devmajor: 0, devminor: 0 };
  return { devmajor: parseNumeric(block.subarray(329, 337), 'devmajor', offset), devminor: parseNumeric(block.subarray(337, 345), 'devminor', offset) };
}

/**
 * pax extended header records, `<length> <keyword>=<value>\n`, where length counts the
 * whole record. The records must fill the data exactly: Python's tarfile stops at a NUL,
 * GNU tar refuses it, so trailing padding is already a disagreement. A keyword given twice
 * is refused (which one wins differs between readers).
 */
export function parsePaxRecords(data: Buffer, offset: number): Map<string, string> {
  const records = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    const lengthText = space === -1 ? '' : data.toString('latin1', pos, space);
    if (!/^[1-9][0-9]{0,9}$/.test(lengthText)) throw new ArchiveError('pax', 'malformed pax record: no length', undefined, offset);
    const length = Number(lengthText);
    const end = pos + length;
    if (end > data.length || data[end - 1] !== 0x0a) throw new ArchiveError('pax', 'malformed pax record: its length does not match', undefined, offset);
    const record = data.subarray(space + 1, end - 1);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new ArchiveError('pax', 'malformed pax record: no keyword', undefined, offset);
    // GNU tar skips blanks before a keyword, tarfile keeps them as part of it: '  path=x'
    // renames the entry for one and not the other. Keywords are printable ASCII.
    for (let k = 0; k < eq; k++) {
      if (record[k] <= 0x20 || record[k] >= 0x7f) throw new ArchiveError('pax', 'malformed pax record: a keyword with blanks or non-ASCII characters', undefined, offset);
    }
    let keyword: string;
    let value: string;
    try {
      keyword = utf8.decode(record.subarray(0, eq));
      value = utf8.decode(record.subarray(eq + 1));
    } catch {
      throw new ArchiveError('pax', 'a pax record is not valid UTF-8', undefined, offset);
    }
    if (records.has(keyword)) throw new ArchiveError('pax', `the pax keyword ${keyword} is given twice`, undefined, offset);
    records.set(keyword, value);
    pos = end;
  }
  return records;
}
