// A schemaVersion 2 deployment bundle made at test time: two layer images (one executable)
// under aos-pylibs-layer/, a service rootfs folder under hello/, the OEM .p12 at the root,
// and things signing must leave out (an unreferenced file and folder, a previous output).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { p12, type TestIdentity } from '../credentials/pki-fixtures';

export const BATCH_CONFIG = [
  '# A layer bundle; comments must survive byte for byte.',
  'schemaVersion: 2',
  'publisher:',
  '  author: Jane Doe',
  'publish:',
  '  tlsKey: aos-user-oem.p12',
  'items:',
  '  - identity:',
  '      type: layer',
  '      codename: pylibs',
  '    version: 1.0.0',
  '    images:',
  '      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip',
  '        archInfo: {architecture: amd64}',
  '        osInfo: {os: linux}',
  '        path: aos-pylibs-layer/linux-amd64-1.0.0.tar.gz',
  '      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip',
  '        archInfo: {architecture: arm64}',
  '        osInfo: {os: linux}',
  '        path: aos-pylibs-layer/linux-arm64-1.0.0.tar.gz',
  '  - identity:',
  '      type: service',
  '      codename: hello',
  '    version: 1.0.0',
  '    sourceFolder: hello',
  '    images:',
  '      - archInfo: {architecture: amd64}',
  '        sourceFolder: x86',
  '',
].join('\n');

export async function makeBatchBundle(root: string, user: TestIdentity, chain: TestIdentity[], opts: { config?: string } = {}): Promise<string> {
  const write = async (rel: string, data: string | Buffer, mode?: number) => {
    const p = path.join(root, rel);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, data);
    if (mode !== undefined) await fs.chmod(p, mode);
  };
  await write('config.yaml', opts.config ?? BATCH_CONFIG);
  await write('aos-user-oem.p12', p12(user, chain.map((c) => c.cert), ''));
  await write('aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', Buffer.alloc(3000, 1), 0o755);
  await write('aos-pylibs-layer/linux-arm64-1.0.0.tar.gz', Buffer.alloc(2000, 2), 0o600);
  await write('aos-pylibs-layer/README.txt', 'not referenced\n');
  await write('hello/x86/bin/hello', '#!/bin/sh\necho hello\n', 0o750);
  await write('hello/x86/etc/hello.cfg', 'greeting=hi\n');
  await fs.symlink('../bin/hello', path.join(root, 'hello/x86/etc/run'));
  await write('hello/arm/bin/hello', 'not referenced\n');
  await write('notes.txt', 'stray notes\n');
  await write('old/stuff.bin', 'old\n');
  await write('backup-key.pem', '-----BEGIN PRIVATE KEY-----\n');
  return root;
}
