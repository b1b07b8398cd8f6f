// Turns a layer's entries, as they stream past once (from a tar or a folder walk), into the
// inspection's facts: counts and sizes per top folder, whiteouts, and libraries with
// versions from the files that state them. Small fact files are collected whole up to a cap
// (a bigger one is skipped and said so); shared libraries stream through the ELF soname
// reader, which holds a few KiB whatever their size; every other file's data is skipped.
// Lists are capped too, so a hostile layer cannot grow memory without bound.
import type { EntrySink, TarEntryType } from '../../archive/tar-reader';
import { installedPackages } from './control-status';
import { ElfSonameReader } from './elf-soname';
import { nodePackageFolder, parseNodePackage } from './node-package';
import { parsePythonMetadata } from './python-metadata';
import type { LayerLibrary, LayerWhiteout, LibrarySourceKind, TopFolderStats } from './types';

export interface LayerEntry {
  /** Normalised path inside the layer ('' is its root). */
  path: string;
  type: TarEntryType;
  size: number;
  /** Hard-link target (normalised) or symlink target (as stored). */
  linkpath?: string;
  device?: { major: number; minor: number };
}

export const FACT_LIMITS = {
  /** A dpkg status of a full Debian system is a few MiB. */
  maxStatusBytes: 32 << 20,
  maxMetadataBytes: 1 << 20,
  maxPackageJsonBytes: 1 << 20,
  maxOsReleaseBytes: 64 << 10,
  maxLibraries: 100_000,
  maxWhiteouts: 10_000,
  maxProblems: 200,
  /** Entries listed for the app's Files tree when asked (a few MiB of paths at most). */
  maxEntries: 50_000,
};

/** One listed entry (FactCollector's optional entry list). */
export interface ListedEntry {
  path: string;
  type: TarEntryType;
  size: number;
  linkpath?: string;
}

export interface CollectedFacts {
  files: { count: number; bytes: number; folders: TopFolderStats[] };
  whiteouts: LayerWhiteout[];
  whiteoutsTruncated: boolean;
  libraries: LayerLibrary[];
  librariesTruncated: boolean;
  osFeatures: string[];
  osRelease?: { id?: string; versionId?: string; source: string };
  problems: string[];
  /** Every entry in stream order, when the collector was asked to list them (capped). */
  entries?: ListedEntry[];
  entriesTruncated?: boolean;
}

const DPKG_STATUS = 'var/lib/dpkg/status';
const OPKG_STATUS = new Set(['var/lib/opkg/status', 'usr/lib/opkg/status']);
const OS_RELEASE = new Set(['etc/os-release', 'usr/lib/os-release']);
const DIST_INFO = /(?:^|\/)[^/]+\.dist-info\/METADATA$/;
const EGG_INFO_DIR = /(?:^|\/)[^/]+\.egg-info\/PKG-INFO$/;
const EGG_INFO_FILE = /(?:^|\/)[^/]+\.egg-info$/;
/** `lib<name>.so.<X>[.<Y>...]`: a versioned shared library file. */
const SHARED_LIBRARY = /^(lib[^/]*?)\.so((?:\.[0-9]+)+)$/;

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

export class FactCollector {
  private readonly folders = new Map<string, TopFolderStats>();
  private fileCount = 0;
  private fileBytes = 0;
  private readonly whiteouts: LayerWhiteout[] = [];
  private whiteoutsTruncated = false;
  private readonly libraries: LayerLibrary[] = [];
  private librariesTruncated = false;
  private readonly problems: string[] = [];
  private osRelease: CollectedFacts['osRelease'];
  /** Shared libraries read so far, for hard links to them (path → soname or null). */
  private readonly sonames = new Map<string, string | null>();
  private readonly entries: ListedEntry[] | undefined;
  private entriesTruncated = false;

  /** `listEntries`: also keep every entry (path, type, size), for a file tree; off for the CLI. */
  constructor(options: { listEntries?: boolean } = {}) {
    this.entries = options.listEntries ? [] : undefined;
  }

  /** Records `e`; returns a sink when its data is a fact to read. */
  onEntry(e: LayerEntry): EntrySink | undefined {
    if (e.path === '') return undefined;
    if (this.entries) {
      if (this.entries.length < FACT_LIMITS.maxEntries) this.entries.push({ path: e.path, type: e.type, size: e.size, ...(e.linkpath !== undefined ? { linkpath: e.linkpath } : {}) });
      else this.entriesTruncated = true;
    }
    const name = baseName(e.path);
    if (name.startsWith(WHITEOUT_PREFIX)) {
      const dir = parentOf(e.path);
      if (name === OPAQUE) this.addWhiteout({ path: e.path, hides: dir || '.', kind: 'opaque' });
      else this.addWhiteout({ path: e.path, hides: dir ? `${dir}/${name.slice(WHITEOUT_PREFIX.length)}` : name.slice(WHITEOUT_PREFIX.length), kind: 'whiteout' });
      return undefined;
    }
    if (e.type === 'character-device' && e.device?.major === 0 && e.device.minor === 0) {
      this.addWhiteout({ path: e.path, hides: e.path, kind: 'overlayfs-device' });
      this.problem(`${e.path} is an overlayfs whiteout (a 0/0 character device): an image must use a .wh. file instead (layers.md §1)`);
      return undefined;
    }
    this.count(e);
    if (e.type === 'hardlink') {
      this.hardLink(e);
      return undefined;
    }
    if (e.type !== 'file') return undefined;
    return this.factSink(e);
  }

  finish(): CollectedFacts {
    const libraries = [...this.libraries].sort(compareLibraries);
    const features = new Set(libraries.filter((l) => l.kind !== 'shared-library').map((l) => l.name));
    const folders = [...this.folders.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const facts: CollectedFacts = {
      files: { count: this.fileCount, bytes: this.fileBytes, folders },
      whiteouts: this.whiteouts,
      whiteoutsTruncated: this.whiteoutsTruncated,
      libraries,
      librariesTruncated: this.librariesTruncated,
      osFeatures: [...features].sort(),
      problems: this.problems,
    };
    if (this.osRelease) facts.osRelease = this.osRelease;
    if (this.entries) {
      facts.entries = this.entries;
      facts.entriesTruncated = this.entriesTruncated;
    }
    return facts;
  }

  private count(e: LayerEntry): void {
    const top = e.path.includes('/') ? e.path.slice(0, e.path.indexOf('/')) : e.type === 'directory' ? e.path : '.';
    let s = this.folders.get(top);
    if (!s) this.folders.set(top, (s = { name: top, files: 0, bytes: 0, directories: 0, symlinks: 0, other: 0 }));
    if (e.type === 'file') {
      s.files++;
      s.bytes += e.size;
      this.fileCount++;
      this.fileBytes += e.size;
    } else if (e.type === 'directory') {
      // The top folder's own entry is not one of its sub-folders.
      if (e.path !== top) s.directories++;
    } else if (e.type === 'symlink') s.symlinks++;
    else s.other++;
  }

  private factSink(e: LayerEntry): EntrySink | undefined {
    const p = e.path;
    if (p === DPKG_STATUS) return this.whole(e, FACT_LIMITS.maxStatusBytes, (t) => this.packages(t, 'dpkg', p));
    if (OPKG_STATUS.has(p)) return this.whole(e, FACT_LIMITS.maxStatusBytes, (t) => this.packages(t, 'opkg', p));
    if (OS_RELEASE.has(p)) return this.whole(e, FACT_LIMITS.maxOsReleaseBytes, (t) => this.readOsRelease(t, p));
    if (DIST_INFO.test(p)) return this.whole(e, FACT_LIMITS.maxMetadataBytes, (t) => this.python(t, 'python-dist-info', p));
    if (EGG_INFO_DIR.test(p) || EGG_INFO_FILE.test(p)) return this.whole(e, FACT_LIMITS.maxMetadataBytes, (t) => this.python(t, 'python-egg-info', p));
    if (nodePackageFolder(p) !== undefined) return this.whole(e, FACT_LIMITS.maxPackageJsonBytes, (t) => this.node(t, p));
    const lib = SHARED_LIBRARY.exec(baseName(p));
    if (lib) return this.sharedLibrary(p, lib[1], lib[2].slice(1));
    return undefined;
  }

  /** Collects a small file whole, then hands its text to `read`; a larger one is skipped, saying so. */
  private whole(e: LayerEntry, limit: number, read: (text: string) => void): EntrySink | undefined {
    if (e.size > limit) {
      this.problem(`${e.path} was not read: ${e.size} bytes, more than the ${limit} read for such a file`);
      return undefined;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    return {
      data: (c) => {
        // A folder's file may grow while it is read: the cap holds whatever the size said.
        if (bytes + c.length <= limit) chunks.push(Buffer.from(c));
        bytes += c.length;
      },
      end: () => {
        if (bytes > limit) this.problem(`${e.path} was not read: it grew past ${limit} bytes while it was read`);
        else read(Buffer.concat(chunks).toString('utf8'));
      },
    };
  }

  private packages(text: string, kind: 'dpkg' | 'opkg', source: string): void {
    const found = installedPackages(text);
    if (found.length === 0) this.problem(`${source} lists no installed package`);
    for (const p of found) {
      const lib: LayerLibrary = { name: p.name, version: p.version, kind, source };
      if (p.architecture) lib.architecture = p.architecture;
      if (p.license) lib.license = p.license;
      this.addLibrary(lib);
    }
  }

  private python(text: string, kind: LibrarySourceKind, source: string): void {
    const d = parsePythonMetadata(text);
    if (!d) {
      this.problem(`${source} has no Name and Version fields`);
      return;
    }
    this.addLibrary({ name: d.name, version: d.version, kind, source, ...(d.license ? { license: d.license } : {}) });
  }

  private node(text: string, source: string): void {
    const pkg = parseNodePackage(text);
    // A package.json without name or version (a workspace root, a bundled stub) is no package.
    if (!pkg) return;
    this.addLibrary({ name: pkg.name, version: pkg.version, kind: 'npm', source, ...(pkg.license ? { license: pkg.license } : {}) });
  }

  private readOsRelease(text: string, source: string): void {
    if (this.osRelease && this.osRelease.source === 'etc/os-release') return;
    const value = (key: string) => {
      const m = new RegExp(`^${key}=(.*)$`, 'm').exec(text);
      return m ? m[1].trim().replace(/^(["'])(.*)\1$/, '$2') : undefined;
    };
    const id = value('ID');
    const versionId = value('VERSION_ID');
    this.osRelease = { source, ...(id ? { id } : {}), ...(versionId ? { versionId } : {}) };
  }

  private sharedLibrary(path: string, name: string, version: string): EntrySink {
    const elf = new ElfSonameReader();
    return {
      data: (c) => elf.write(c),
      end: () => {
        const r = elf.finish();
        if (!r.elf) {
          this.problem(`${path} is named like a shared library but is not an ELF file`);
          return;
        }
        if (r.problem) this.problem(`${path}: ${r.problem}`);
        if (this.sonames.size < FACT_LIMITS.maxLibraries) this.sonames.set(path, r.soname ?? null);
        this.addLibrary({ name, version, kind: 'shared-library', source: path, ...(r.soname ? { soname: r.soname } : {}) });
      },
    };
  }

  /** A hard link named like a shared library has the soname of the file it links to. */
  private hardLink(e: LayerEntry): void {
    const lib = SHARED_LIBRARY.exec(baseName(e.path));
    const soname = e.linkpath !== undefined ? this.sonames.get(e.linkpath) : undefined;
    if (!lib || soname === undefined) return;
    this.addLibrary({ name: lib[1], version: lib[2].slice(1), kind: 'shared-library', source: e.path, ...(soname ? { soname } : {}) });
  }

  private addLibrary(l: LayerLibrary): void {
    if (this.libraries.length >= FACT_LIMITS.maxLibraries) {
      this.librariesTruncated = true;
      return;
    }
    this.libraries.push(l);
  }

  private addWhiteout(w: LayerWhiteout): void {
    if (this.whiteouts.length >= FACT_LIMITS.maxWhiteouts) this.whiteoutsTruncated = true;
    else this.whiteouts.push(w);
  }

  private problem(message: string): void {
    if (this.problems.length < FACT_LIMITS.maxProblems) this.problems.push(message);
    else if (this.problems.length === FACT_LIMITS.maxProblems) this.problems.push('(more problems not listed)');
  }
}

const KIND_ORDER: LibrarySourceKind[] = ['dpkg', 'opkg', 'python-dist-info', 'python-egg-info', 'npm', 'shared-library'];

function compareLibraries(a: LayerLibrary, b: LayerLibrary): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || cmp(a.name, b.name) || cmp(a.version, b.version) || cmp(a.source, b.source);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
