// The layer library: a local folder of layer images in the deployment-bundle layout
// (`<library>/<uid>/<os>-<arch>-<version>.tar.gz`, deployment-bundle.md §1; the current
// layer form of layers.md §1). Scanning it yields the catalogue the OCI preview resolves
// configuration.layers against. Each file is read once, streaming: the compressed bytes feed
// one sha256 (digest) and a gunzip whose output feeds a second sha256 (diff_id) and a small
// tar header check. Results are cached per file by (path, size, mtimeMs), so a rescan of an
// unchanged library only stats the files.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { appError } from '../../../shared/errors';
import { LruMap } from '../cache/lru-map';
import { parseLayerImageName } from '../../../shared/deployment-config/layer-image-name';
import { mapArchitecture, SUPPORTED_ARCHITECTURES } from '../oci/platform';
import type { LayerVersion } from '../oci/types';

/** One layer image found in the library (a LayerVersion plus where it came from). */
export interface LibraryLayerVersion extends LayerVersion {
  os: string;
  /** OCI architecture name (amd64, arm64, arm). */
  architecture: string;
  /** Absolute path of the .tar.gz. */
  file: string;
}

export interface LayerLibraryProblem {
  file: string;
  message: string;
}

export interface LayerLibraryProgress {
  /** Compressed bytes hashed so far (cached files count at once). */
  done: number;
  total: number;
  filesDone: number;
  filesTotal: number;
}

export interface ScanLayerLibraryOptions {
  signal?: AbortSignal;
  onProgress?: (p: LayerLibraryProgress) => void;
  /** Keep only images for this architecture (a build.arch value such as x86 or an OCI name). */
  architecture?: string;
}

export interface LayerLibraryScan {
  /** uid → versions, each list sorted by file name. */
  catalogue: Record<string, LibraryLayerVersion[]>;
  problems: LayerLibraryProblem[];
}

export interface ParsedLayerFileName {
  os: string;
  architecture: string;
  version: string;
}

/**
 * Parses `<os>-<arch>-<version>.tar.gz` strictly (the shared layer image name reader,
 * limited to the architectures a library holds); undefined when it is not such a name.
 */
export function parseLayerFileName(name: string): ParsedLayerFileName | undefined {
  const parsed = parseLayerImageName(name);
  if (!parsed || !/^[a-z][a-z0-9_]*$/.test(parsed.os)) return undefined;
  if (!(SUPPORTED_ARCHITECTURES as readonly string[]).includes(parsed.arch)) return undefined;
  return { os: parsed.os, architecture: parsed.arch, version: parsed.version };
}

export interface Hashes {
  digest: string;
  size: number;
  diffId: string;
  tarSize: number;
}

type CacheEntry = { size: number; mtimeMs: number; result: { ok: true; hashes: Hashes } | { ok: false; message: string } };

/** How many layer files' digests are remembered (the most recently scanned). */
export const LAYER_CACHE_MAX_FILES = 4096;

/** Module-level: survives between scans (and between library folders); bounded. */
let cache = new LruMap<string, CacheEntry>(LAYER_CACHE_MAX_FILES);

/** For tests: forget every cached digest (and optionally change the cap). */
export function clearLayerLibraryCache(maxFiles: number = LAYER_CACHE_MAX_FILES): void {
  cache = new LruMap<string, CacheEntry>(maxFiles);
}

/** How many files' digests are cached now. */
export function layerLibraryCacheSize(): number {
  return cache.size;
}

const BLOCK = 512;

function readOctalOrBase256(buf: Buffer, offset: number, length: number): number | undefined {
  if (buf[offset] & 0x80) {
    let v = 0;
    for (let i = offset + 1; i < offset + length; i++) v = v * 256 + buf[i];
    return v;
  }
  const text = buf.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, '').trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

/** Checks tar structure as it streams: header checksums and sizes, ending on an entry boundary. */
class TarCheck {
  private pending = Buffer.alloc(0);
  /** Bytes of entry data (with padding) still to skip before the next header. */
  private skip = 0;
  private headers = 0;
  private sawEnd = false;
  error: string | undefined;

  write(chunk: Buffer): void {
    if (this.error || this.sawEnd) return;
    let off = 0;
    while (off < chunk.length && !this.error && !this.sawEnd) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - off);
        this.skip -= n;
        off += n;
        continue;
      }
      const need = BLOCK - this.pending.length;
      const n = Math.min(need, chunk.length - off);
      this.pending = Buffer.concat([this.pending, chunk.subarray(off, off + n)]);
      off += n;
      if (this.pending.length === BLOCK) {
        this.header(this.pending);
        this.pending = Buffer.alloc(0);
      }
    }
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      this.sawEnd = true;
      return;
    }
    const stored = readOctalOrBase256(h, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (stored === undefined || stored !== sum) {
      this.error = this.headers === 0 ? 'The gunzipped content is not a tar archive.' : `Tar header ${this.headers + 1} has a bad checksum.`;
      return;
    }
    const size = readOctalOrBase256(h, 124, 12);
    if (size === undefined) {
      this.error = `Tar header ${this.headers + 1} has an invalid size.`;
      return;
    }
    const type = String.fromCharCode(h[156]);
    // Directories, links and devices carry no data whatever their size field says.
    const hasData = !['1', '2', '3', '4', '5', '6'].includes(type);
    this.skip = hasData ? Math.ceil(size / BLOCK) * BLOCK : 0;
    this.headers++;
  }

  end(): void {
    if (this.error) return;
    if (this.sawEnd) return;
    if (this.skip > 0 || this.pending.length > 0) this.error = 'The tar archive is truncated.';
    else if (this.headers === 0) this.error = 'The gunzipped content is empty, not a tar archive.';
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

/** Digest and size of a layer image, and the diff_id (sha256 of the gunzipped tar), in one read; throws when it is no gzip'd tar. */
export async function hashLayerFile(file: string, signal: AbortSignal | undefined, onBytes: (n: number) => void): Promise<Hashes> {
  const gz = createHash('sha256');
  const tarHash = createHash('sha256');
  const check = new TarCheck();
  let size = 0;
  let tarSize = 0;
  await pipeline(
    createReadStream(file),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        gz.update(chunk);
        size += chunk.length;
        onBytes(chunk.length);
        yield chunk;
      }
    },
    createGunzip(),
    async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        tarHash.update(chunk);
        tarSize += chunk.length;
        check.write(chunk);
      }
    },
    signal ? { signal } : {},
  );
  check.end();
  if (check.error) throw new Error(check.error);
  return { digest: `sha256:${gz.digest('hex')}`, size, diffId: `sha256:${tarHash.digest('hex')}`, tarSize };
}

function describeReadError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) return `Not a valid gzip file (${e.message ?? e.code}).`;
  return e?.message ?? String(err);
}

function isAbort(err: unknown, signal?: AbortSignal): boolean {
  return !!signal?.aborted || (err as { name?: string })?.name === 'AbortError';
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A layer image of the library known by its name only (nothing read yet). */
export interface LayerImageFile extends ParsedLayerFileName {
  uid: string;
  /** Absolute path of the .tar.gz. */
  file: string;
  size: number;
  mtimeMs: number;
}

/**
 * Lists `<dir>/<uid>/<os>-<arch>-<version>.tar.gz` by name and stat only: the scan hashes
 * these, the catalog needs only their names. `.tar.gz` files with another name are problems;
 * dot files and folders are skipped, other files ignored (a bundle folder holds config.yaml).
 */
export async function listLayerImages(dir: string, opts: { signal?: AbortSignal; architecture?: string } = {}): Promise<{ images: LayerImageFile[]; problems: LayerLibraryProblem[] }> {
  const { signal } = opts;
  const wantArch = opts.architecture !== undefined ? mapArchitecture(opts.architecture).architecture : undefined;
  let top;
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw appError('invalid-input', `The layer library ${dir} is not a folder.`, { file: dir });
    top = await listDir(dir);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw appError('not-found', `The layer library ${dir} does not exist.`, { file: dir });
    throw err;
  }
  const problems: LayerLibraryProblem[] = [];
  const images: LayerImageFile[] = [];
  for (const d of top) {
    throwIfAborted(signal);
    if (!d.isDirectory() || d.name.startsWith('.')) continue;
    const uidDir = path.join(dir, d.name);
    for (const f of await listDir(uidDir)) {
      if (!f.isFile() || f.name.startsWith('.') || !f.name.endsWith('.tar.gz')) continue;
      const file = path.join(uidDir, f.name);
      const name = parseLayerFileName(f.name);
      if (!name) {
        problems.push({ file, message: `Not a layer image name: expected <os>-<arch>-<version>.tar.gz with arch ${SUPPORTED_ARCHITECTURES.join(', ')} and a SemVer version.` });
        continue;
      }
      if (wantArch !== undefined && name.architecture !== wantArch) continue;
      const st = await fs.stat(file);
      images.push({ uid: d.name, file, ...name, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return { images, problems };
}

/**
 * Scans `<dir>/<uid>/<os>-<arch>-<version>.tar.gz`. Files that are not layer images (bad
 * name, not gzip, not tar) are listed in `problems`; other `.tar.gz` files are not thrown
 * on. Folders and files starting with `.` are skipped; files not ending `.tar.gz` are
 * ignored (a deployment bundle folder also holds config.yaml and service folders).
 */
export async function scanLayerLibrary(dir: string, opts: ScanLayerLibraryOptions = {}): Promise<LayerLibraryScan> {
  const { signal, onProgress } = opts;
  const { images: candidates, problems } = await listLayerImages(dir, { signal, architecture: opts.architecture });

  const total = candidates.reduce((s, c) => s + c.size, 0);
  let done = 0;
  let filesDone = 0;
  const report = () => onProgress?.({ done, total, filesDone, filesTotal: candidates.length });
  report();

  const catalogue: Record<string, LibraryLayerVersion[]> = {};
  for (const c of candidates) {
    throwIfAborted(signal);
    let entry = cache.get(c.file);
    if (!entry || entry.size !== c.size || entry.mtimeMs !== c.mtimeMs) {
      const before = done;
      try {
        const hashes = await hashLayerFile(c.file, signal, (n) => {
          done += n;
          report();
        });
        entry = { size: c.size, mtimeMs: c.mtimeMs, result: { ok: true, hashes } };
      } catch (err) {
        if (isAbort(err, signal)) throw appError('cancelled', 'Cancelled.');
        entry = { size: c.size, mtimeMs: c.mtimeMs, result: { ok: false, message: describeReadError(err) } };
      }
      done = before;
      cache.set(c.file, entry);
    }
    done += c.size;
    filesDone++;
    report();
    if (!entry.result.ok) {
      problems.push({ file: c.file, message: entry.result.message });
      continue;
    }
    const h = entry.result.hashes;
    (catalogue[c.uid] ??= []).push({
      version: c.version,
      digest: h.digest,
      size: h.size,
      diffId: h.diffId,
      tarSize: h.tarSize,
      os: c.os,
      architecture: c.architecture,
      file: c.file,
    });
  }
  return { catalogue, problems };
}

/** Keeps the versions for one architecture (build.arch or an OCI name). */
export function filterCatalogue(catalogue: Record<string, readonly LibraryLayerVersion[]>, architecture: string | undefined): Record<string, LibraryLayerVersion[]> {
  const want = architecture !== undefined ? mapArchitecture(architecture).architecture : undefined;
  const out: Record<string, LibraryLayerVersion[]> = {};
  for (const [uid, versions] of Object.entries(catalogue)) {
    const kept = want === undefined ? [...versions] : versions.filter((v) => v.architecture === want);
    if (kept.length > 0) out[uid] = kept;
  }
  return out;
}
