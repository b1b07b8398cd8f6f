// A parent given as a layer image (`<os>-<arch>-<version>.tar.gz`, the current OCI form):
// streamed once through the strict readers of core/archive, each file's sha256 taken on the
// way, nothing of its content kept. Its whiteouts and opaque markers are kept on the tree
// for applyLayer, which hides what the layers below had.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appError, fsFailure } from '../../../../shared/errors';
import { isArchiveError } from '../../archive/archive-error';
import { gunzipOneMember } from '../../archive/gzip-member';
import { TarReader, type TarEntry } from '../../archive/tar-reader';
import { folderAt, folderNode, nodeAt, type TreeNode } from './tree';
import { whiteoutOf } from './whiteout';

/** Decompressed bytes a parent image may hold (far above any real layer; a bound against bombs). */
const MAX_IMAGE_BYTES = 64 * 2 ** 30;

export interface ReadImageOptions {
  signal?: AbortSignal;
  /** Compressed bytes read so far. */
  onBytes?: (bytes: number) => void;
}

/** Reads a layer image into a tree; `below` resolves hard links to files of earlier parents. */
export async function readParentImage(file: string, below: TreeNode, opts: ReadImageOptions = {}): Promise<TreeNode> {
  const top = folderNode({ mode: 0o755, uid: 0, gid: 0 }, true);
  const meta = (e: TarEntry) => ({ mode: e.mode & 0o7777, uid: e.uid, gid: e.gid });
  const reader = new TarReader((e) => {
    const parts = e.path ? e.path.split('/') : [];
    const name = parts.pop();
    if (name === undefined) {
      // './': the root folder's own metadata.
      Object.assign(top, meta(e));
      delete top.implicit;
      return undefined;
    }
    const folder = folderAt(top, parts);
    const wh = whiteoutOf(name);
    if (wh?.kind === 'opaque') {
      folder.opaque = true;
      return undefined;
    }
    if (wh) {
      (folder.whiteouts ??= new Set()).add(wh.hides);
      return undefined;
    }
    if (e.type === 'directory') {
      const existing = folder.children!.get(name);
      if (existing?.type === 'directory') {
        Object.assign(existing, meta(e));
        delete existing.implicit;
      } else folder.children!.set(name, folderNode(meta(e)));
      return undefined;
    }
    if (e.type === 'symlink') {
      folder.children!.set(name, { type: 'symlink', ...meta(e), size: 0, linkpath: e.linkpath });
      return undefined;
    }
    if (e.type === 'hardlink') {
      const target = nodeAt(top, e.linkpath!) ?? nodeAt(below, e.linkpath!);
      if (target?.type !== 'file') throw appError('invalid-input', `${file}: the hard link ${e.stored} points to ${e.linkpath}, which is not an earlier file of the image.`, { file });
      folder.children!.set(name, { type: 'file', ...meta(e), size: target.size, digest: target.digest });
      return undefined;
    }
    const node: TreeNode = { type: 'file', ...meta(e), size: e.size };
    folder.children!.set(name, node);
    const hash = createHash('sha256');
    return {
      data: (chunk: Buffer) => void hash.update(chunk),
      end: () => void (node.digest = hash.digest('hex')),
    };
  });
  let read = 0;
  const source = createReadStream(file, { highWaterMark: 1 << 20, signal: opts.signal });
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      read += (chunk as Buffer).length;
      opts.onBytes?.(read);
      yield chunk as Buffer;
    }
  }
  try {
    await gunzipOneMember(counted(), (c) => reader.write(c), { maxBytes: MAX_IMAGE_BYTES, signal: opts.signal, what: file });
    reader.end();
  } catch (e) {
    if (opts.signal?.aborted) throw appError('cancelled', 'Cancelled.');
    if (isArchiveError(e)) throw appError('invalid-input', `${file} is not a layer image that can be read: ${e.message}${e.entry ? ` (entry ${e.entry})` : ''}.`, { file });
    throw fsFailure(e, 'Cannot read the parent layer image', file);
  }
  if (isLegacyForm(top)) {
    throw appError(
      'invalid-input',
      `${file} is a layer image in the legacy form (metadata.json and the digest-named layer tar), not the layer itself: give the current form (.tar.gz of the layer) or the layer unpacked in a folder.`,
      { file },
    );
  }
  return top;
}

/** The legacy archive (layers.md §1): `metadata.json` beside tars named by their sha256 hex, nothing else. */
function isLegacyForm(top: TreeNode): boolean {
  const names = [...top.children!.keys()];
  return names.includes('metadata.json') && names.length > 1 && names.every((n) => n === 'metadata.json' || /^[0-9a-f]{64}(\.tar)?$/.test(n));
}
