// A small service tree on disk for the rootfs layer and export tests.
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SERVICE_CONFIG = `build:
    os: linux
    arch: x86
    sign_pkcs12: aos-user-sp.p12
    symlinks: copy
publish:
    url: aoscloud.io
    service_uid: 2efd1506-564e-40de-9466-66ae7a25fac0
    tls_pkcs12: aos-user-sp.p12
    version: "1.0.0"
configuration:
    cmd: /usr/bin/run.sh --greeting "hello world"
    workingDir: /opt/app
    env:
        - GREETING=hi
    exposedPorts:
        - 8080/tcp
    quotas:
        mem: 100M
        cpu: 500
`;

export function makeServiceTree(config = SERVICE_CONFIG): { root: string; src: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'oci-preview-'));
  mkdirSync(path.join(root, 'meta'));
  writeFileSync(path.join(root, 'meta', 'config.yaml'), config);
  const src = path.join(root, 'src');
  mkdirSync(path.join(src, 'usr', 'bin'), { recursive: true });
  mkdirSync(path.join(src, 'opt', 'app', 'data'), { recursive: true });
  mkdirSync(path.join(src, 'etc'), { recursive: true });
  writeFileSync(path.join(src, 'usr', 'bin', 'run.sh'), '#!/bin/sh\necho "$GREETING"\n');
  chmodSync(path.join(src, 'usr', 'bin', 'run.sh'), 0o750);
  writeFileSync(path.join(src, 'etc', 'app.cfg'), 'key = value\n');
  chmodSync(path.join(src, 'etc', 'app.cfg'), 0o600);
  writeFileSync(path.join(src, 'opt', 'app', 'data', 'big.bin'), Buffer.alloc(300_000, 7));
  writeFileSync(path.join(src, 'opt', 'app', 'données.txt'), 'unicode name\n');
  symlinkSync('../../usr/bin/run.sh', path.join(src, 'opt', 'app', 'run'));
  return { root, src };
}
