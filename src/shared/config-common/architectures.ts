// Architecture words people and tools write (v1 build.arch, kernel names, file names) and
// the OCI names units report. One table for the v1 preview's platform mapping and the v2
// rules' "did you mean amd64?".

/** Word (lower case) → OCI architecture and variant. OCI names map to themselves. */
export const ARCHITECTURE_WORDS: Readonly<Record<string, { architecture: string; variant?: string }>> = {
  x86: { architecture: 'amd64' },
  x86_64: { architecture: 'amd64' },
  'x86-64': { architecture: 'amd64' },
  x64: { architecture: 'amd64' },
  amd64: { architecture: 'amd64' },
  aarch64: { architecture: 'arm64' },
  armv8: { architecture: 'arm64' },
  arm64: { architecture: 'arm64' },
  armv7: { architecture: 'arm', variant: 'v7' },
  armv7l: { architecture: 'arm', variant: 'v7' },
  armhf: { architecture: 'arm', variant: 'v7' },
  armv6: { architecture: 'arm', variant: 'v6' },
  armv6l: { architecture: 'arm', variant: 'v6' },
  armv5: { architecture: 'arm', variant: 'v5' },
  armel: { architecture: 'arm' },
  arm: { architecture: 'arm' },
  i386: { architecture: '386' },
  i686: { architecture: '386' },
  riscv64: { architecture: 'riscv64' },
};

/** The OCI architecture a word names (case-insensitive), or undefined for an unknown word. */
export function ociArchitectureOf(word: string): { architecture: string; variant?: string } | undefined {
  return ARCHITECTURE_WORDS[word.trim().toLowerCase()];
}
