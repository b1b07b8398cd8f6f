// Builds tar streams header by header, including the malformed and ambiguous ones real
// writers never produce, so the strict reader can be tested against what GNU tar and
// Python's tarfile make of the same bytes.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

export const BLOCK = 512;

export interface RawHeaderFields {
  /** A Buffer writes bytes that need not be UTF-8. */
  name: string | Buffer;
  /** Type flag character; '0' file by default. */
  type?: string;
  size?: number;
  mode?: number;
  linkname?: string;
  /** 'ustar' (POSIX, default), 'gnu' or 'v7'. */
  magic?: 'ustar' | 'gnu' | 'v7';
  prefix?: string;
  /** Raw bytes written over the header after the checksum field is computed… or before, see below. */
  patch?: { at: number; bytes: Buffer };
  /** Store this checksum instead of the right one. */
  checksum?: number;
  /** Write the size field verbatim (12 bytes). */
  sizeField?: string;
}

function put(h: Buffer, at: number, len: number, value: string | Buffer): void {
  const b = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  b.copy(h, at, 0, Math.min(len, b.length));
}

const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, '0')}\0`;

export function header(f: RawHeaderFields): Buffer {
  const h = Buffer.alloc(BLOCK);
  put(h, 0, 100, f.name);
  put(h, 100, 8, octal(f.mode ?? 0o644, 8));
  put(h, 108, 8, octal(0, 8));
  put(h, 116, 8, octal(0, 8));
  put(h, 124, 12, f.sizeField ?? octal(f.size ?? 0, 12));
  put(h, 136, 12, octal(0, 12));
  h[156] = (f.type ?? '0').charCodeAt(0);
  put(h, 157, 100, f.linkname ?? '');
  const magic = f.magic ?? 'ustar';
  if (magic === 'ustar') put(h, 257, 8, 'ustar\u000000');
  else if (magic === 'gnu') put(h, 257, 8, 'ustar  \u0000');
  if (f.prefix) put(h, 345, 155, f.prefix);
  if (f.patch) f.patch.bytes.copy(h, f.patch.at);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, `${(f.checksum ?? sum).toString(8).padStart(6, '0')}\0 `);
  return h;
}

export const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((BLOCK - (b.length % BLOCK)) % BLOCK)]);

/** A whole entry: header then data padded to a block. */
export function entry(f: RawHeaderFields, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const d = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([header({ ...f, size: f.size ?? d.length }), pad(d)]);
}

export function paxRecord(key: string, value: string | Buffer): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const bodyLen = 1 + Buffer.byteLength(key) + 1 + v.length + 1;
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = String(len).length + bodyLen;
  return Buffer.concat([Buffer.from(`${len} ${key}=`), v, Buffer.from('\n')]);
}

/** A pax extended header ('x', or 'g' for global) carrying `records`. */
export function pax(records: [string, string | Buffer][] | Buffer, type: 'x' | 'g' = 'x'): Buffer {
  const data = Buffer.isBuffer(records) ? records : Buffer.concat(records.map(([k, v]) => paxRecord(k, v)));
  return entry({ name: 'PaxHeader', type }, data);
}

/** A GNU long name ('L') or long link ('K') entry. */
export function gnuLong(name: string, type: 'L' | 'K' = 'L'): Buffer {
  return entry({ name: '././@LongLink', type, magic: 'gnu' }, Buffer.from(`${name}\0`));
}

export const endOfArchive = (): Buffer => Buffer.alloc(2 * BLOCK);

export const tarOf = (...parts: Buffer[]): Buffer => Buffer.concat([...parts, endOfArchive()]);

export const gz = (b: Buffer): Buffer => gzipSync(b);

/** What GNU tar lists for a tar stream (names as it prints them), or its error. */
export function gnuList(tar: Buffer): { names: string[]; error?: string } {
  try {
    const out = execFileSync('tar', ['-tf', '-'], { input: tar, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString('utf8');
    return { names: out.split('\n').filter(Boolean) };
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    return { names: (err.stdout?.toString('utf8') ?? '').split('\n').filter(Boolean), error: err.stderr?.toString('utf8') ?? 'failed' };
  }
}

/** What Python's tarfile lists for a tar stream, or its error. */
export function pythonList(tar: Buffer): { names: string[]; error?: string } {
  const script = 'import sys, tarfile, io\ntry:\n  t = tarfile.open(fileobj=io.BytesIO(sys.stdin.buffer.read()))\n  print("\\n".join(t.getnames()))\nexcept Exception as e:\n  print("ERROR", e, file=sys.stderr); sys.exit(1)\n';
  try {
    const out = execFileSync('python3', ['-c', script], { input: tar, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString('utf8');
    return { names: out.split('\n').filter(Boolean) };
  } catch (e) {
    const err = e as { stderr?: Buffer };
    return { names: [], error: err.stderr?.toString('utf8') ?? 'failed' };
  }
}
