// Signed bundles for the upload tests: a v1 service bundle signed by the app's own signer
// with the fake cloud's user certificate, and a v2 deployment bundle (batch.tar.gz) built
// here with GNU tar and an RS256 package.sign over it.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { signServiceBundle } from '../../../src/main/core/bundle';
import type { FakeCloudPki } from '../../support/fake-cloud';
import { makeService } from '../bundle/service-fixture';

export const SERVICE_UID = '2efd1506-564e-40de-9466-66ae7a25fac0';

export async function signedServiceBundle(root: string, pki: FakeCloudPki, files?: Record<string, string | Buffer>): Promise<string> {
  await makeService(root, pki.user, [pki.ca], files ? { files } : {});
  return (await signServiceBundle({ root, homeDir: root })).path;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sha3 = (b: Buffer) => createHash('sha3-512').update(b).digest('hex');

export const BATCH_CONFIG = [
  'schemaVersion: 2',
  'publish:',
  '  tlsKey: aos-user-sp.p12',
  'items:',
  '  - identity:',
  '      type: layer',
  '      codename: pylibs',
  '    version: 1.0.0',
  '    images:',
  '      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip',
  '        archInfo: {architecture: amd64}',
  '        path: layer/linux-amd64-1.0.0.tar.gz',
  '',
].join('\n');

/** A signed v2 outer archive: config.yaml, batch.tar.gz (inner), package.sign. */
export async function signedBatchBundle(dir: string, pki: FakeCloudPki): Promise<string> {
  const work = path.join(dir, 'batch-work');
  await fs.mkdir(path.join(work, 'inner', 'layer'), { recursive: true });
  await fs.mkdir(path.join(work, 'outer'), { recursive: true });
  await fs.writeFile(path.join(work, 'inner', 'config.yaml'), BATCH_CONFIG);
  await fs.writeFile(path.join(work, 'inner', 'layer', 'linux-amd64-1.0.0.tar.gz'), Buffer.alloc(200_000, 7));
  execFileSync('tar', ['-czf', path.join(work, 'outer', 'batch.tar.gz'), '-C', path.join(work, 'inner'), 'config.yaml', 'layer']);
  await fs.writeFile(path.join(work, 'outer', 'config.yaml'), BATCH_CONFIG);
  const inner = readFileSync(path.join(work, 'outer', 'batch.tar.gz'));
  const config = Buffer.from(BATCH_CONFIG);
  const header = b64url(JSON.stringify({ alg: 'RS256', kid: 'test', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ data: [{ name: 'batch.tar.gz', hash: sha3(inner), size: inner.length }, { name: 'config.yaml', hash: sha3(config), size: config.length }] }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), createPrivateKey(pki.user.keyPem)).toString('base64url');
  await fs.writeFile(path.join(work, 'outer', 'package.sign'), `${header}.${payload}.${signature}`);
  const out = path.join(dir, 'batch.tar.gz');
  execFileSync('tar', ['-czf', out, '-C', path.join(work, 'outer'), 'config.yaml', 'batch.tar.gz', 'package.sign']);
  return out;
}
