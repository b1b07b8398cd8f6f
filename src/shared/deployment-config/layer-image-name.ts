// Layer image files are named `<os>-<arch>-<version>.tar.gz` (layers.md §1), e.g.
// `linux-amd64-1.0.0.tar.gz`. The wizard prefills os, architecture and version from the
// name; the rules warn when the name and the item disagree.
import { isStrictSemver } from '../config-common/semver-strict';
import { ARCHITECTURES, ARCHITECTURE_ALIASES } from './schema';

export interface LayerImageName {
  os: string;
  /** The architecture as written in the name (`amd64`, `x86_64`, `armv7`). */
  arch: string;
  /** Its OCI name when known (`amd64` for `x86_64`, `arm` for `armv7`); undefined for an unknown name. */
  architecture?: string;
  /** The variant the name implies (`v7` for `armv7`). */
  variant?: string;
  /** Strict SemVer (may hold hyphens: `1.0.0-rc.1`). */
  version: string;
}

const SUFFIX = '.tar.gz';

/** Reads a layer image file name (a path's last part counts); undefined when it is not `<os>-<arch>-<version>.tar.gz`. */
export function parseLayerImageName(name: string): LayerImageName | undefined {
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  if (!base.endsWith(SUFFIX)) return undefined;
  const m = /^([A-Za-z0-9_.]+)-([A-Za-z0-9_]+)-(.+)$/.exec(base.slice(0, -SUFFIX.length));
  if (!m || !isStrictSemver(m[3])) return undefined;
  const [, os, arch, version] = m;
  return { os, arch, ...architectureOf(arch), version };
}

/** The OCI architecture (and variant) an architecture word means: `x86_64` → amd64, `armv7` → arm v7. */
export function architectureOf(word: string): { architecture?: string; variant?: string } {
  const lower = word.toLowerCase();
  if ((ARCHITECTURES as readonly string[]).includes(lower)) return { architecture: lower };
  const arm = /^armv([5-8])l?$/.exec(lower);
  if (arm && arm[1] !== '8') return { architecture: 'arm', variant: `v${arm[1]}` };
  const alias = ARCHITECTURE_ALIASES[lower];
  return alias ? { architecture: alias } : {};
}
