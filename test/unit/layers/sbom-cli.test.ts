// `aos-bundle layer sbom`: stdout or an atomic -o, reproducible bytes, exit codes 0 / 1 / 2.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../cli/helpers';
import { tempDirPerTest } from '../../support/temp-dir';
import { buildRootfs, currentImage } from './inspect-fixtures';

const tmp = tempDirPerTest();

function layer(): string {
  const root = path.join(tmp.path, 'rootfs');
  buildRootfs(root);
  return currentImage(tmp.path, root).file;
}

describe('aos-bundle layer sbom', () => {
  it('prints CycloneDX on stdout, the same bytes each run; SOURCE_DATE_EPOCH sets the time', async () => {
    const file = layer();
    const a = await cli(['layer', 'sbom', file, '--format', 'cyclonedx'], tmp.path);
    const b = await cli(['layer', 'sbom', file, '--format', 'cyclonedx'], tmp.path);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const dated = await cli(['layer', 'sbom', file, '--format', 'spdx'], tmp.path, { env: { SOURCE_DATE_EPOCH: '86400' } });
    expect(JSON.parse(dated.stdout).creationInfo.created).toBe('1970-01-02T00:00:00Z');
  });

  it('-o writes the file atomically (no temp file left) and says what it wrote', async () => {
    const file = layer();
    const out = path.join(tmp.path, 'out', 'layer.spdx.json');
    mkdirSync(path.dirname(out));
    const r = await cli(['layer', 'sbom', file, '--format', 'spdx', '-o', out], tmp.path);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`path: ${out}\nformat: SPDX 2.3 JSON\nlayer: sha256:`);
    expect(JSON.parse(readFileSync(out, 'utf8')).spdxVersion).toBe('SPDX-2.3');
    expect(readdirSync(path.dirname(out))).toEqual(['layer.spdx.json']);
  });

  it('refuses a folder as -o, a missing or unknown --format (exit 2), a folder as the layer (exit 1)', async () => {
    const file = layer();
    const folderOut = await cli(['layer', 'sbom', file, '--format', 'spdx', '-o', tmp.path], tmp.path);
    expect(folderOut.code).toBe(1);
    expect(folderOut.stderr).toMatch(/is a folder, not a regular file/);
    const noFormat = await cli(['layer', 'sbom', file], tmp.path);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toContain('--format must be cyclonedx or spdx');
    expect((await cli(['layer', 'sbom', file, '--format', 'xml'], tmp.path)).stderr).toContain("not 'xml'");
    const dir = await cli(['layer', 'sbom', path.join(tmp.path, 'rootfs'), '--format', 'spdx'], tmp.path);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/is a folder: an SBOM names a layer image by its digest/);
  });
});
