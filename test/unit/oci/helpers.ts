// A small service tree on disk for the rootfs layer and export tests.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { tarStream } from '../../../src/main/core/bundle/archive';

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

/** One file of a layer image: a path as in the container (no `./`) and its content. */
export type LayerEntry = { dir: string } | { file: string; data: string };

/**
 * A layer image in the current form (layers.md §1): the tar of the layer's diff (entries
 * `./…`, owner 0:0) gzip'd, written as `<library>/<uid>/<os>-<arch>-<version>.tar.gz`.
 * Returns the file, its digest (sha256 of the .tar.gz) and diff_id (sha256 of the tar).
 */
export async function makeLayerImage(library: string, uid: string, name: string, entries: LayerEntry[]): Promise<{ file: string; digest: string; size: number; diffId: string }> {
  const parts = [
    { kind: 'directory' as const, name: './' },
    ...entries.map((e) => ('dir' in e ? { kind: 'directory' as const, name: `./${e.dir}/` } : { kind: 'bytes' as const, name: `./${e.file}`, data: Buffer.from(e.data) })),
  ];
  const chunks: Buffer[] = [];
  for await (const c of tarStream(parts)) chunks.push(Buffer.from(c));
  const tar = Buffer.concat(chunks);
  const gz = gzipSync(tar);
  const file = path.join(library, uid, `${name}.tar.gz`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, gz);
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  return { file, digest: sha(gz), size: gz.length, diffId: sha(tar) };
}

/** Every file under `dir` (relative, `/`-separated, sorted) with its bytes. */
export function readTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string) => {
    for (const d of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else out[r] = readFileSync(path.join(dir, r));
    }
  };
  walk('');
  return out;
}
