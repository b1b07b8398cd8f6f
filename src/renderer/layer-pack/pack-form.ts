// The Pack layer wizard's values and each step's checks (the same rules packLayer applies in
// main: strict SemVer, an OCI architecture name the platform runs, a lower-case os), so a
// mistake is named at its field before a plan or a pack is asked for.
import { isStrictSemver } from '../../shared/config-common/semver-strict';
import { ociArchitectureOf } from '../../shared/config-common/architectures';
import type { Input } from '../../shared/contract';
import { folderOf, isAbsolutePath } from '../common/paths';

/** One parent: a rootfs folder or a layer image, applied in order (base first). */
export interface ParentRow {
  key: string;
  path: string;
  kind: 'folder' | 'image';
}

export interface PackValues {
  rootfs: string;
  parents: ParentRow[];
  version: string;
  architecture: string;
  os: string;
  /** The platform's os.features (package names the layer provides); optional. */
  osFeatures: string[];
  outDir: string;
}

/** The architectures a layer image is made for (OCI names, layers.md §1). */
export const LAYER_ARCHITECTURES = ['amd64', 'arm64', 'arm'] as const;

export const EMPTY_PACK_VALUES: PackValues = { rootfs: '', parents: [], version: '1.0.0', architecture: '', os: 'linux', osFeatures: [], outDir: '' };

export type PackErrors = Partial<Record<'rootfs' | 'parents' | 'version' | 'architecture' | 'os' | 'outDir', string>>;

export function rootfsProblem(rootfs: string): string | null {
  if (!rootfs.trim()) return 'Choose the root filesystem folder the layer is made from';
  if (!isAbsolutePath(rootfs.trim())) return 'Give the full path of the folder';
  return null;
}

export function parentsProblem(rows: readonly ParentRow[], rootfs: string): string | null {
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.path.trim() === rootfs.trim()) return `${r.path} is the root filesystem itself: a parent is what the layer goes on`;
    if (seen.has(r.path)) return `${r.path} is listed twice`;
    seen.add(r.path);
  }
  return null;
}

export function versionProblem(version: string): string | null {
  return isStrictSemver(version.trim()) ? null : 'Use strict SemVer: MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.2.0-rc.1';
}

export function architectureProblem(architecture: string): string | null {
  const word = architecture.trim();
  if (!word) return 'Choose the architecture the layer is for';
  if ((LAYER_ARCHITECTURES as readonly string[]).includes(word)) return null;
  const oci = ociArchitectureOf(word)?.architecture;
  const hint = oci && (LAYER_ARCHITECTURES as readonly string[]).includes(oci) ? `: the OCI name of ${word} is ${oci}` : '';
  return `Use one of ${LAYER_ARCHITECTURES.join(', ')}${hint}`;
}

export function osProblem(os: string): string | null {
  return /^[a-z][a-z0-9_]*$/.test(os.trim()) ? null : 'A lower-case name such as linux';
}

export function outDirProblem(outDir: string, rootfs: string): string | null {
  const out = outDir.trim().replace(/[\\/]+$/, '');
  const root = rootfs.trim().replace(/[\\/]+$/, '');
  if (!out) return 'Choose the folder the layer image and its descriptor go to';
  if (!isAbsolutePath(out)) return 'Give the full path of the folder';
  // Inside the rootfs, the image would be packed into the next layer made from it.
  if (out === root || out.startsWith(`${root}/`) || out.startsWith(`${root}\\`)) return 'Choose a folder outside the root filesystem';
  return null;
}

/** The problems of one step (0 rootfs, 1 parents, 2 version and architecture); empty when it may be left. */
export function stepErrors(step: number, v: PackValues): PackErrors {
  const e: PackErrors = {};
  const put = (key: keyof PackErrors, problem: string | null) => {
    if (problem) e[key] = problem;
  };
  if (step === 0) put('rootfs', rootfsProblem(v.rootfs));
  if (step === 1) put('parents', parentsProblem(v.parents, v.rootfs));
  if (step === 2) {
    put('version', versionProblem(v.version));
    put('architecture', architectureProblem(v.architecture));
    put('os', osProblem(v.os));
    put('outDir', outDirProblem(v.outDir, v.rootfs));
  }
  return e;
}

/** Where the image goes unless the user says otherwise: beside the rootfs folder. */
export function defaultOutDir(rootfs: string): string {
  return folderOf(rootfs.trim().replace(/[\\/]+$/, ''));
}

/** `<os>-<arch>-<version>.tar.gz`, as packLayer names it. */
export function imageName(v: Pick<PackValues, 'os' | 'architecture' | 'version'>): string {
  return `${v.os.trim()}-${v.architecture.trim()}-${v.version.trim()}.tar.gz`;
}

/** What 'layers.plan' and 'layers.pack' take. */
export function packInput(v: PackValues): Input<'layers.pack'> {
  return {
    rootfs: v.rootfs.trim(),
    parents: v.parents.map((p) => p.path),
    version: v.version.trim(),
    architecture: v.architecture.trim(),
    os: v.os.trim(),
    ...(v.osFeatures.length ? { osFeatures: v.osFeatures } : {}),
    outDir: v.outDir.trim(),
  };
}

let nextKey = 1;
export const parentKey = () => `parent-${nextKey++}`;

export function parentRow(path: string): ParentRow {
  return { key: parentKey(), path, kind: /\.(tar\.gz|tgz)$/i.test(path) ? 'image' : 'folder' };
}
