// "Add to the catalog": a layer image copied into a layer library in the layout the library
// scan reads (`<library>/<uid>/<os>-<arch>-<version>.tar.gz`, library.ts). The name comes
// from the image's own file name, so the catalog can never list it under another version or
// architecture than the file states. Never over an existing file: the copy goes to a temp
// file beside the target and is hard-linked into place (link fails when the name exists).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError, fsFailure } from '../../../shared/errors';
import { makeFolder } from '../fs/make-folder';
import { tempPathFor, trackTemp, untrackTemp } from '../fs/temp-files';
import { parseLayerFileName } from './library';

/** A layer uid as a folder name: the codename rule of deployment bundles (no spaces, no path separators). */
const UID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface AddToLibraryOptions {
  /** The layer image (`<os>-<arch>-<version>.tar.gz`). */
  file: string;
  library: string;
  uid: string;
}

export async function addLayerToLibrary(opts: AddToLibraryOptions): Promise<{ file: string }> {
  const uid = opts.uid.trim();
  if (!UID_RE.test(uid) || uid === '.' || uid === '..') {
    throw appError('invalid-input', `The layer uid must be letters, digits, dots, dashes and underscores, starting with a letter or digit; got '${opts.uid}'.`);
  }
  const source = path.resolve(opts.file);
  const name = path.basename(source);
  if (!parseLayerFileName(name)) {
    throw appError('invalid-input', `${name} is not named <os>-<arch>-<version>.tar.gz (an architecture amd64, arm64 or arm, a strict SemVer version): the catalog would not list it.`, { file: source });
  }
  let st;
  try {
    st = await fs.stat(source);
  } catch (e) {
    throw fsFailure(e, 'Cannot read the layer image', source);
  }
  if (!st.isFile()) throw appError('invalid-input', `${source} is not a file.`, { file: source });
  const folder = path.join(path.resolve(opts.library), uid);
  const target = path.join(folder, name);
  try {
    await makeFolder(folder);
  } catch (e) {
    throw fsFailure(e, 'Cannot make the layer folder in the library', folder);
  }
  const temp = tempPathFor(target);
  trackTemp(temp);
  try {
    await fs.copyFile(source, temp);
    await fs.link(temp, target).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') throw appError('exists', `The library already holds ${uid}/${name}; nothing was copied.`, { file: target });
      throw fsFailure(e, 'Cannot add the layer image to the library', target);
    });
    return { file: target };
  } catch (e) {
    throw fsFailure(e, 'Cannot copy the layer image into the library', target);
  } finally {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    untrackTemp(temp);
  }
}
