// A service tree made at test time, signed with the test PKI.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { p12, type TestIdentity } from '../credentials/pki-fixtures';

export function configText(opts: { symlinks?: string; state?: boolean; stateFile?: string; extra?: string } = {}): string {
  return [
    '# A test service; comments must survive byte for byte.',
    'build:',
    '    os: linux',
    '    arch: x86',
    '    sign_pkcs12: aos-user-sp.p12',
    `    symlinks: ${opts.symlinks ?? 'copy'}`,
    'publish:',
    '    url: aoscloud.io',
    '    service_uid: 2efd1506-564e-40de-9466-66ae7a25fac0',
    '    tls_pkcs12: aos-user-sp.p12',
    '    version: "1.2.3"',
    'configuration:',
    '    cmd: python3 /usr/bin/services/hello.py',
    '    workingDir: /',
    ...(opts.state ? ['    state:', `        filename: ${opts.stateFile ?? 'state.dat'}`, '        required: True'] : []),
    ...(opts.extra ? [opts.extra] : []),
    '',
  ].join('\n');
}

export async function makeService(
  root: string,
  user: TestIdentity,
  chain: TestIdentity[],
  opts: { symlinks?: string; state?: boolean; files?: Record<string, string | Buffer>; p12?: boolean } = {},
): Promise<string> {
  await fs.mkdir(path.join(root, 'meta'), { recursive: true });
  await fs.mkdir(path.join(root, 'src'), { recursive: true });
  await fs.writeFile(path.join(root, 'meta', 'config.yaml'), configText(opts));
  if (opts.p12 !== false) await fs.writeFile(path.join(root, 'meta', 'aos-user-sp.p12'), p12(user, chain.map((c) => c.cert), ''));
  if (opts.state) await fs.writeFile(path.join(root, 'meta', 'state.dat'), 'default state\n');
  const files = opts.files ?? {
    'usr/bin/services/hello.py': 'print("hello")\n',
    'etc/hello.cfg': 'greeting=hi\n',
  };
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, 'src', rel);
    await fs.mkdir(path.dirname(p), { recursive: true });
    await fs.writeFile(p, content);
  }
  return root;
}

/** GNU tar, the independent reader. */
export function gnuTar(args: string[], cwd?: string): string {
  return execFileSync('tar', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString('utf8');
}

