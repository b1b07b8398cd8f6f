// Where each wizard image ends up inside the bundle folder. deployment-bundle.md §2: every
// image path lies inside the bundle folder. One already there keeps its relative path; one
// elsewhere is copied to <codename>/<file name> by 'deployment.create'.
import { baseName, isAbsolutePath } from '../common/paths';
import { parseLayerImageName } from '../../shared/deployment-config';
import type { ImageRow } from './bundle-form';

export interface Placement {
  /** Relative to the bundle root, POSIX separators. */
  path: string;
  /** True when 'deployment.create' copies the source there. */
  copied: boolean;
}

const toPosix = (p: string) => p.replace(/\\/g, '/');

export function imagePlacement(row: Pick<ImageRow, 'source'>, bundleDir: string, codename: string): Placement {
  const source = toPosix(row.source.trim());
  const dir = toPosix(bundleDir.trim()).replace(/\/+$/, '');
  if (!isAbsolutePath(row.source.trim())) return { path: source.replace(/^\.\//, ''), copied: false };
  if (dir && source.startsWith(`${dir}/`)) return { path: source.slice(dir.length + 1), copied: false };
  const folder = codename.trim() || 'images';
  return { path: `${folder}/${baseName(source)}`, copied: true };
}

/** A new row for a picked file or folder, its platform read from a name like linux-amd64-1.0.0.tar.gz. */
export function rowFromPath(path: string, kind: ImageRow['kind']): Omit<ImageRow, 'key'> {
  const named = kind === 'file' ? parseLayerImageName(baseName(path)) : null;
  return {
    source: path,
    kind,
    os: named?.os ?? 'linux',
    // The OCI name the file name means (x86_64 → amd64), else the word as written.
    architecture: named ? (named.architecture ?? named.arch) : '',
    variant: named?.variant ?? '',
    osVersion: '',
    ...(named?.version ? { nameVersion: named.version } : {}),
  };
}
