// What goes into a deployment bundle's inner batch.tar.gz (spec deployment-bundle.md §3):
// config.yaml and ONLY what it references (images[].path files, images[].sourceFolder
// folders, under items[].sourceFolder), at the same relative paths, with their parent
// folders; and what in the bundle folder stays out, with why. One plan for the app's
// "What goes in" panel and for signing (signDeploymentBundle tars exactly these entries), so
// the two can never disagree. A stray .p12, an unreferenced file and the previous output
// (batch.tar.gz, its temp files) are never packed.
import { lstatSync, promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { appError, type Location } from '../../../shared/errors';
import { credentialCandidates } from '../credentials/locate';
import { isInsideOrSame } from '../fs/contained-path';
import { tempFileOwner } from '../fs/temp-files';
import { linkEscapes, listDir, namesNotUtf8, specialKind, type ArchivePart } from './archive';
import { BATCH_ARCHIVE, BATCH_CONFIG_FILE, readBatchConfig, type BatchConfig, type BatchReference } from './batch-config';
import { normalMode } from './tar';

export type BatchEntryKind = 'file' | 'folder' | 'symlink';

export interface BatchEntry {
  /** Relative to the bundle folder, '/'-separated; stored as './<path>' ('./<path>/' for a folder). */
  path: string;
  kind: BatchEntryKind;
  /** Content bytes of a file; 0 for folders and symlinks. */
  size: number;
  /** A file stored 0755 (an execute bit is set on disk) rather than 0644. Folders are 0755. */
  executable?: boolean;
  /** A symlink's target, stored as is. */
  target?: string;
  /** Why it goes in: 'config.yaml', the key that references it (or a folder holding it), or 'parent folder'. */
  reference: string;
}

export type ExclusionReason = 'unreferenced' | 'credentials' | 'previous-output';

/** Why a file in the folder stays out of batch.tar.gz, in words (the app's panel and `aos-bundle contents`). */
export const EXCLUSION_WORDS: Record<ExclusionReason, string> = {
  unreferenced: 'config.yaml does not reference it',
  credentials: 'a signing key or certificate: never packed',
  'previous-output': 'an earlier signed bundle (the output): never packed',
};

export interface BatchExclusion {
  path: string;
  kind: 'file' | 'folder' | 'symlink' | 'other';
  /** Files only. */
  size?: number;
  reason: ExclusionReason;
}

export interface BatchProblem {
  message: string;
  location: Location;
  /** The key whose reference it is about, e.g. 'items[0].images[1].path'. */
  reference?: string;
}

export interface BatchContents {
  root: string;
  configPath: string;
  /** The output file this plan is for (sign never packs it). */
  output: string;
  /** Every entry of the inner batch.tar.gz after './', in archive order (config.yaml first). */
  entries: BatchEntry[];
  files: number;
  folders: number;
  symlinks: number;
  /** Content bytes of all files (config.yaml included). */
  totalBytes: number;
  /** What the bundle folder holds that is not packed, with why (a folder stands for all it holds). */
  excluded: BatchExclusion[];
  /** What makes signing refuse (a reference missing, leaving the folder, of the wrong kind...). */
  problems: BatchProblem[];
  /** What is packed but probably should not be: a private key inside a referenced folder. */
  warnings: BatchProblem[];
}

export interface BatchContentsOptions {
  /** The output file (default <dir>/batch.tar.gz). */
  outFile?: string;
  /** Home folder for the ~/.aos/security lookup (tests). */
  homeDir?: string;
  signal?: AbortSignal;
}

/** The plan signing follows: the public listing plus where each file is read from. */
export interface BatchPlan {
  contents: BatchContents;
  config: BatchConfig;
  /** The inner archive's parts, in order. */
  parts: ArchivePart[];
}

/** Credential file names (PKCS#12, PEM keys and certificates) that are never packed unless referenced. */
const CREDENTIAL_EXTENSIONS = new Set(['.p12', '.pfx', '.pem', '.key', '.crt', '.cer', '.der']);

interface FileNode {
  kind: 'file';
  abs: string;
  size: number;
  /** Device and inode when listed: the archive opens only that file. */
  identity: { dev: number; ino: number };
  mode: number;
  noFollow: boolean;
  reference: string;
}
interface LinkNode {
  kind: 'symlink';
  target: string;
  reference: string;
}
interface FolderNode {
  kind: 'folder';
  reference: string;
  /** Packed whole (a referenced folder or inside one): nothing in it is excluded. */
  whole: boolean;
  children: Map<string, Node>;
}
type Node = FileNode | LinkNode | FolderNode;

const newFolder = (reference: string, whole: boolean): FolderNode => ({ kind: 'folder', reference, whole, children: new Map() });

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw appError('cancelled', 'Cancelled.');
}

async function statOrNull(p: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await fs.stat(p) : await fs.lstat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return null;
    throw e;
  }
}

/** A written reference made relative and normal, or why it cannot be one. */
export function normalRef(ref: string, kind?: 'file' | 'folder', written = ref): { rel: string } | { why: string } {
  // A file named with a trailing "/" (or "/.") opens as a folder after extraction (ENOTDIR):
  // signing and verify must not call such a reference present.
  if (kind === 'file' && /(^|\/)\.?$/.test(written)) return { why: 'ends with "/", which names a folder; write the file\'s path without it' };
  // No file name holds a NUL, and the file system calls would throw on it (config.yaml is anyone's text).
  if (ref.includes('\0')) return { why: 'contains a NUL character, which no file name can hold' };
  if (path.posix.isAbsolute(ref) || /^[A-Za-z]:/.test(ref)) return { why: 'is an absolute path; write it relative to the bundle folder' };
  const parts = ref.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { why: 'climbs out with ".."; it must stay inside the bundle folder' };
  if (parts.length === 0) return { why: 'names the bundle folder itself' };
  return { rel: parts.join('/') };
}

/** Whether `rel` is `folder` or lies inside it (both relative, '/'-separated). */
export const within = (folder: string, rel: string): boolean => rel === folder || rel.startsWith(`${folder}/`);

export async function planBatch(dir: string, opts: BatchContentsOptions = {}): Promise<BatchPlan> {
  const config = await readBatchConfig(dir);
  const { root } = config;
  const output = path.resolve(opts.outFile ?? path.join(root, BATCH_ARCHIVE));
  const problems: BatchProblem[] = [];
  const warnings: BatchProblem[] = [];
  const realRoot = await fs.realpath(root);

  // The credential files config.yaml names, where they are in the bundle folder.
  const credentialFiles = new Set<string>();
  for (const c of [config.tlsKey, config.signKey]) {
    if (!c) continue;
    for (const candidate of credentialCandidates(c.ref, { configDir: root, homeDir: opts.homeDir })) credentialFiles.add(path.resolve(candidate));
  }
  const isCredential = (abs: string): boolean => credentialFiles.has(abs);
  const isOutput = (abs: string): boolean => abs === output || (path.dirname(abs) === path.dirname(output) && tempFileOwner(output, path.basename(abs)) !== undefined);

  // 1. The references, checked: relative, inside, existing, of the right kind.
  const refs: { ref: BatchReference; rel: string; abs: string; st: Stats }[] = [];
  for (const ref of config.references) {
    const problem = (why: string) => problems.push({ message: `${ref.key} "${ref.written}" ${why}.`, location: ref.location, reference: ref.key });
    const n = normalRef(ref.path, ref.kind, ref.written);
    if ('why' in n) {
      problem(n.why);
      continue;
    }
    const spelt = path.join(root, ...n.rel.split('/'));
    const st = await statOrNull(spelt, true);
    if (!st) {
      problem((await statOrNull(spelt, false)) ? 'is a symlink that leads nowhere' : 'does not exist');
      continue;
    }
    const real = await fs.realpath(spelt);
    if (!isInsideOrSame(realRoot, real)) {
      problem(`leads outside the bundle folder through a symlink (to ${real})`);
      continue;
    }
    if (ref.kind === 'file' && !st.isFile()) {
      problem(st.isDirectory() ? 'is a folder; images[].path names a file (use sourceFolder for a folder)' : 'is not a regular file');
      continue;
    }
    if (ref.kind === 'folder' && !st.isDirectory()) {
      problem('is not a folder; images[].sourceFolder names a folder (use path for a file)');
      continue;
    }
    if (n.rel === BATCH_CONFIG_FILE) {
      problem('is config.yaml itself, not an image');
      continue;
    }
    if (isOutput(spelt) || isOutput(real) || (ref.kind === 'folder' && isInsideOrSame(spelt, output))) {
      problem(`is or holds the output ${output}, which signing replaces; sign into another file (-o) or rename the image`);
      continue;
    }
    if (isCredential(spelt) || isCredential(real)) {
      problem('is the signing credentials file named by publish; a key never goes into a bundle');
      continue;
    }
    refs.push({ ref, rel: n.rel, abs: real, st });
  }

  // 2. The tree of what goes in. A reference inside a referenced folder is already packed.
  const tree = newFolder('bundle folder', false);
  const folderRefs = refs.filter((r) => r.ref.kind === 'folder').map((r) => r.rel);
  const covered = (rel: string, self: string) => folderRefs.some((f) => f !== self && within(f, rel) && rel !== f);
  const seen = new Set<string>();
  for (const r of refs) {
    if (covered(r.rel, r.rel) || seen.has(r.rel)) continue;
    seen.add(r.rel);
    const names = r.rel.split('/');
    let folder = tree;
    for (const name of names.slice(0, -1)) {
      let next = folder.children.get(name);
      if (!next) folder.children.set(name, (next = newFolder('parent folder', false)));
      if (next.kind !== 'folder') break;
      folder = next;
    }
    const last = names[names.length - 1];
    if (r.ref.kind === 'file') {
      folder.children.set(last, { kind: 'file', abs: r.abs, size: r.st.size, identity: { dev: r.st.dev, ino: r.st.ino }, mode: normalMode('file', r.st.mode), noFollow: false, reference: r.ref.key });
    } else {
      const node = newFolder(r.ref.key, true);
      folder.children.set(last, node);
      await walkReferenced(r.abs, '', node, r.ref, problems, { isCredential, isOutput, signal: opts.signal, warnings });
    }
  }

  // 3. Entries in archive order: config.yaml, then depth-first, names sorted by UTF-8 bytes.
  const entries: BatchEntry[] = [{ path: BATCH_CONFIG_FILE, kind: 'file', size: config.configBytes.length, reference: 'config.yaml' }];
  const parts: ArchivePart[] = [
    { kind: 'directory', name: './' },
    { kind: 'bytes', name: `./${BATCH_CONFIG_FILE}`, data: config.configBytes },
  ];
  const emit = (folder: FolderNode, prefix: string) => {
    const names = [...folder.children.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const node = folder.children.get(name)!;
      const rel = `${prefix}${name}`;
      if (node.kind === 'folder') {
        entries.push({ path: rel, kind: 'folder', size: 0, reference: node.reference });
        parts.push({ kind: 'directory', name: `./${rel}/` });
        emit(node, `${rel}/`);
      } else if (node.kind === 'file') {
        entries.push({ path: rel, kind: 'file', size: node.size, executable: (node.mode & 0o111) !== 0, reference: node.reference });
        parts.push({ kind: 'file', name: `./${rel}`, path: node.abs, mode: node.mode, size: node.size, noFollow: node.noFollow, identity: node.identity });
      } else {
        entries.push({ path: rel, kind: 'symlink', size: 0, target: node.target, reference: node.reference });
        parts.push({ kind: 'symlink', name: `./${rel}`, target: node.target });
      }
    }
  };
  emit(tree, '');

  // 4. What stays out: everything in the folder the tree does not pack.
  const excluded: BatchExclusion[] = [];
  const classify = (abs: string, name: string): ExclusionReason =>
    isOutput(abs) || (path.dirname(abs) === root && (name === BATCH_ARCHIVE || tempFileOwner(path.join(root, BATCH_ARCHIVE), name) !== undefined))
      ? 'previous-output'
      : isCredential(abs) || CREDENTIAL_EXTENSIONS.has(path.extname(name).toLowerCase())
        ? 'credentials'
        : 'unreferenced';
  const outside = async (absDir: string, prefix: string, folder: FolderNode): Promise<void> => {
    throwIfAborted(opts.signal);
    for (const d of await listDir(absDir)) {
      const rel = `${prefix}${d.name}`;
      if (rel === BATCH_CONFIG_FILE) continue;
      const node = folder.children.get(d.name);
      const abs = path.join(absDir, d.name);
      if (node?.kind === 'folder' && !node.whole && d.isDirectory()) await outside(abs, `${rel}/`, node);
      if (node) continue;
      const kind = d.isDirectory() ? 'folder' : d.isFile() ? 'file' : d.isSymbolicLink() ? 'symlink' : 'other';
      const size = kind === 'file' ? lstatSync(abs).size : undefined;
      excluded.push({ path: rel, kind, ...(size === undefined ? {} : { size }), reason: classify(abs, d.name) });
    }
  };
  await outside(root, '', tree);

  const count = (k: BatchEntryKind) => entries.filter((e) => e.kind === k).length;
  const contents: BatchContents = {
    root,
    configPath: config.configPath,
    output,
    entries,
    files: count('file'),
    folders: count('folder'),
    symlinks: count('symlink'),
    totalBytes: entries.reduce((n, e) => n + e.size, 0),
    excluded,
    problems,
    warnings,
  };
  return { contents, config, parts };
}

/**
 * A referenced folder (a service rootfs), walked depth-first: files with their size and mode,
 * folders, symlinks as links. A link climbing above the folder (the container's /), a device,
 * FIFO or socket, a name that is not UTF-8, the output or a credentials file are problems.
 */
async function walkReferenced(
  absDir: string,
  relDir: string,
  folder: FolderNode,
  ref: BatchReference,
  problems: BatchProblem[],
  ctx: { isCredential(abs: string): boolean; isOutput(abs: string): boolean; signal?: AbortSignal; warnings: BatchProblem[] },
): Promise<void> {
  throwIfAborted(ctx.signal);
  const listed = await listDir(absDir);
  const badNames = await namesNotUtf8(absDir, listed);
  const problem = (what: string) => problems.push({ message: `${ref.key} "${ref.written}": ${what}`, location: ref.location, reference: ref.key });
  for (const escaped of badNames.values()) problem(`${relDir}${escaped}: the file name is not UTF-8; a bundle stores UTF-8 names, so rename it.`);
  for (const d of listed) {
    if (badNames.has(d.name)) continue;
    const abs = path.join(absDir, d.name);
    const rel = `${relDir}${d.name}`;
    // Synchronous: microseconds in the kernel against a thread pool round trip (archive.ts).
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) {
      const target = await fs.readlink(abs);
      if (linkEscapes(rel, target)) problem(`${rel} -> ${target} points above the folder (the container's /), which a bundle may not hold.`);
      folder.children.set(d.name, { kind: 'symlink', target, reference: ref.key });
    } else if (st.isDirectory()) {
      const node = newFolder(ref.key, true);
      folder.children.set(d.name, node);
      await walkReferenced(abs, `${rel}/`, node, ref, problems, ctx);
    } else if (st.isFile()) {
      if (ctx.isOutput(abs)) problem(`${rel} is the output, which signing replaces; sign into another file (-o).`);
      else if (ctx.isCredential(abs)) problem(`${rel} is the signing credentials file named by publish; a key never goes into a bundle.`);
      else if (await holdsPrivateKey(abs, d.name, st.size)) {
        ctx.warnings.push({
          message: `${ref.key} "${ref.written}": ${rel} looks like a private key (${path.extname(d.name).toLowerCase()}) and would be packed into the bundle; a key in a bundle is almost always a mistake: move it out of the folder.`,
          location: ref.location,
          reference: ref.key,
        });
      }
      folder.children.set(d.name, { kind: 'file', abs, size: st.size, identity: { dev: st.dev, ino: st.ino }, mode: normalMode('file', st.mode), noFollow: true, reference: ref.key });
    } else {
      problem(`${rel} is a ${specialKind(st)}: device files, fifos and sockets cannot go into a bundle.`);
    }
  }
}

/** A PEM larger than this is a certificate bundle, not one key: only its start is read. */
const PEM_PEEK_BYTES = 64 * 1024;

/**
 * A file in a referenced folder that is a private key: a PKCS#12 (.p12, .pfx: always a key
 * with its certificate), or a .pem / .key whose text holds a "PRIVATE KEY" block (a .pem of
 * certificates only, as in etc/ssl of a rootfs, is fine).
 */
async function holdsPrivateKey(abs: string, name: string, size: number): Promise<boolean> {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.p12' || ext === '.pfx') return true;
  if (ext !== '.pem' && ext !== '.key') return false;
  const handle = await fs.open(abs, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, PEM_PEEK_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(buf.subarray(0, bytesRead).toString('latin1'));
  } finally {
    await handle.close();
  }
}

/** What signing a deployment bundle packs and leaves out (the "What goes in" panel). */
export async function listBatchContents(dir: string, opts: BatchContentsOptions = {}): Promise<BatchContents> {
  return (await planBatch(dir, opts)).contents;
}
