// build.os / build.arch → OCI platform names (oci-output.md §3). v1 configs write `x86` for
// 64-bit PC units and `aarch64` for 64-bit ARM ones; units report `amd64` / `arm64`. The
// mapping is inferred from the platform's own configs and units, so it is marked so.

import { ociArchitectureOf } from '../../../shared/config-common/architectures';

export interface ArchMapping {
  architecture: string;
  variant?: string;
  /** True when the name was translated (not already an OCI name). */
  inferred: boolean;
  /** True when the platform's docs list the architecture as supported (amd64, arm64, arm). */
  supported: boolean;
}

export const SUPPORTED_ARCHITECTURES = ['amd64', 'arm64', 'arm'] as const;

export function mapArchitecture(arch: string): ArchMapping {
  const key = arch.trim().toLowerCase();
  const alias = ociArchitectureOf(key);
  const architecture = alias?.architecture ?? key;
  return {
    architecture,
    ...(alias?.variant ? { variant: alias.variant } : {}),
    inferred: architecture !== key,
    supported: (SUPPORTED_ARCHITECTURES as readonly string[]).includes(architecture),
  };
}
