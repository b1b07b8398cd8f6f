// A small commented config and the service snapshot around it.
import type { ServiceSnapshot, SrcListing } from '../../src/shared/contract';

export const CONFIG = `# Service config for hello-world
publisher:
  author: Jane Doe # who wrote it
build:
  os: linux
  arch: x86
  sign_pkcs12: aos-user-sp.p12
  symlinks: copy
publish:
  url: aoscloud.io
  service_uid: 0c6bd4d2-6e7f-4b6e-9b1a-1f2c3d4e5f60
  tls_pkcs12: aos-user-sp.p12
  # Bump for every upload.
  version: "1.0.0"
configuration:
  # How the unit starts the service.
  cmd: python3 /usr/bin/services/hello.py
  workingDir: /
  layers:
    - uid: aos-pylibs-layer # shared Python libraries
      minVersion: 1.0.0
      maxVersion: 2.0.0
  runner: crun
  quotas:
    mem: 100MB # plenty
`;

export const EMPTY_LISTING: SrcListing = { entries: [], total: 0, truncated: false, totalBytes: 0, special: [] };

export function snapshotOf(configText = CONFIG, src: SrcListing = EMPTY_LISTING): ServiceSnapshot {
  return {
    root: '/home/jane/services/hello-world',
    configPath: '/home/jane/services/hello-world/meta/config.yaml',
    configText,
    configMtimeMs: 1000,
    diagnostics: [],
    src,
  };
}
