// Layer SBOMs: CycloneDX 1.6 and SPDX 2.3 of a layer built here validate against the
// formats' official JSON schemas (CycloneDX's shipped with its library, SPDX's vendored
// from the SPDX project), carry every library with its purl, version, license and source,
// name the layer by its digest, and are the same bytes on every run.
import * as CDX from '@cyclonedx/cyclonedx-library';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildLayerSbom } from '../../../src/main/core/layers/sbom';
import { classifyLicense, isSpdxExpression } from '../../../src/main/core/layers/sbom/licenses';
import { uuidV5 } from '../../../src/main/core/layers/sbom/document-ids';
import { buildRootfs, currentImage, legacyImage, sha256, tempDir } from './inspect-fixtures';

const work = tempDir('layer-sbom-');
afterAll(() => rmSync(work, { recursive: true, force: true }));
const root = path.join(work, 'rootfs');
let image: { file: string; gz: Buffer };
beforeAll(() => {
  buildRootfs(root);
  image = currentImage(work, root);
});

function spdxValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/sbom/spdx-2.3.schema.json'), 'utf8')));
}

const EXPECTED_PURLS = [
  'pkg:deb/poky/libssl3@3.0.11-1~deb12u2?arch=amd64',
  'pkg:deb/poky/zlib1g@1:1.2.13.dfsg-1?arch=amd64',
  'pkg:generic/opkg/busybox@1.36.1-r0?arch=cortexa53',
  'pkg:generic/opkg/python3-requests@2.31.0-r0?arch=cortexa53',
  'pkg:pypi/requests@2.31.0',
  'pkg:pypi/six@1.16.0',
  'pkg:npm/%40scope/tool@2.0.0-beta.1',
  'pkg:npm/left-pad@1.3.0',
  'pkg:generic/libbe@3.0?soname=libbe.so.3',
  'pkg:generic/libfoo@1.2.3?soname=libfoo.so.1',
];

describe('CycloneDX 1.6', () => {
  it('validates against the official schema and lists every library with purl, version, license and source', async () => {
    const { document } = await buildLayerSbom({ path: image.file, format: 'cyclonedx' });
    const error = await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(document);
    expect(error).toBeNull();
    const bom = JSON.parse(document);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.timestamp).toBeUndefined();
    const digestHex = sha256(image.gz);
    expect(bom.metadata.component).toMatchObject({ type: 'file', name: 'linux-amd64-1.2.0.tar.gz', version: '1.2.0', 'bom-ref': `sha256:${digestHex}`, hashes: [{ alg: 'SHA-256', content: digestHex }] });
    expect(bom.serialNumber).toBe(`urn:uuid:${uuidV5(`aos-bundle:layer-sbom:cyclonedx:sha256:${digestHex}`)}`);
    const purls = bom.components.map((c: { purl: string }) => c.purl);
    expect([...purls].sort()).toEqual([...EXPECTED_PURLS].sort());
    const byPurl = (p: string) => bom.components.find((c: { purl: string }) => c.purl === p);
    expect(byPurl('pkg:pypi/requests@2.31.0')).toMatchObject({ name: 'requests', version: '2.31.0', licenses: [{ license: { id: 'Apache-2.0' } }] });
    // Yocto's & is AND: a valid SPDX expression.
    expect(byPurl('pkg:generic/opkg/busybox@1.36.1-r0?arch=cortexa53').licenses).toEqual([{ expression: 'GPL-2.0-only AND bzip2-1.0.6' }]);
    expect(byPurl('pkg:npm/left-pad@1.3.0').licenses).toEqual([{ license: { id: 'WTFPL' } }]);
    const foo = byPurl('pkg:generic/libfoo@1.2.3?soname=libfoo.so.1');
    expect(foo.properties).toEqual(
      expect.arrayContaining([
        { name: 'aos:source', value: 'usr/lib/libfoo.so.1.2.3' },
        { name: 'aos:soname', value: 'libfoo.so.1' },
      ]),
    );
  });

  it('is reproducible: the same bytes on every run; a timestamp only from SOURCE_DATE_EPOCH', async () => {
    const a = await buildLayerSbom({ path: image.file, format: 'cyclonedx' });
    const b = await buildLayerSbom({ path: image.file, format: 'cyclonedx' });
    expect(b.document).toBe(a.document);
    const dated = await buildLayerSbom({ path: image.file, format: 'cyclonedx', sourceDateEpoch: '1700000000' });
    expect(JSON.parse(dated.document).metadata.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(dated.document)).toBeNull();
  });
});

describe('SPDX 2.3', () => {
  it('validates against the official schema; the document describes the layer, which contains every library', async () => {
    const { document } = await buildLayerSbom({ path: image.file, format: 'spdx' });
    const validate = spdxValidator();
    const doc = JSON.parse(document);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    expect(doc.creationInfo.created).toBe('1970-01-01T00:00:00Z');
    expect(doc.creationInfo.comment).toMatch(/SOURCE_DATE_EPOCH/);
    const layer = doc.packages[0];
    expect(layer).toMatchObject({ SPDXID: 'SPDXRef-Layer', checksums: [{ algorithm: 'SHA256', checksumValue: sha256(image.gz) }] });
    expect(doc.relationships[0]).toEqual({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Layer' });
    const libs = doc.packages.slice(1);
    expect(libs.map((p: { externalRefs: { referenceLocator: string }[] }) => p.externalRefs[0].referenceLocator)).toEqual(EXPECTED_PURLS);
    expect(doc.relationships.slice(1).map((r: { relatedSpdxElement: string }) => r.relatedSpdxElement)).toEqual(libs.map((p: { SPDXID: string }) => p.SPDXID));
    const six = libs.find((p: { name: string }) => p.name === 'six');
    expect(six).toMatchObject({ versionInfo: '1.16.0', licenseDeclared: 'MIT', comment: expect.stringContaining('six-1.16.0-py3.11.egg-info/PKG-INFO (Python egg-info PKG-INFO)') });
    expect(libs.find((p: { name: string }) => p.name === 'zlib1g').licenseDeclared).toBe('NOASSERTION');
    expect(doc.documentNamespace).toBe(`https://spdx.org/spdxdocs/aos-bundle-layer-${uuidV5(`aos-bundle:layer-sbom:spdx:sha256:${sha256(image.gz)}`)}`);
  });

  it('a license that is no SPDX id or expression becomes a LicenseRef with the text as written', async () => {
    const dir = tempDir('layer-sbom-ref-');
    try {
      const r = path.join(dir, 'r');
      const { put } = await import('./inspect-fixtures');
      put(r, 'var/lib/opkg/status', 'Package: a\nVersion: 1\nStatus: install ok installed\nLicense: GPLv2+\n\nPackage: b\nVersion: 2\nStatus: install ok installed\nLicense: GPLv2+\n');
      const img = currentImage(dir, r, 'linux-arm-1.0.0.tar.gz');
      const doc = JSON.parse((await buildLayerSbom({ path: img.file, format: 'spdx', sourceDateEpoch: '0' })).document);
      expect(spdxValidator()(doc)).toBe(true);
      expect(doc.packages.slice(1).map((p: { licenseDeclared: string }) => p.licenseDeclared)).toEqual(['LicenseRef-GPLv2', 'LicenseRef-GPLv2']);
      expect(doc.hasExtractedLicensingInfos).toEqual([{ licenseId: 'LicenseRef-GPLv2', extractedText: 'GPLv2+', name: 'GPLv2+' }]);
      expect(doc.creationInfo).toEqual({ created: '1970-01-01T00:00:00Z', creators: [expect.stringMatching(/^Tool: aos-bundle-/)] });
      const cdx = (await buildLayerSbom({ path: img.file, format: 'cyclonedx' })).document;
      expect(JSON.parse(cdx).components[0].licenses).toEqual([{ license: { name: 'GPLv2+' } }]);
      expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(cdx)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible, and reads the legacy form too (its parent in the layer comment)', async () => {
    const a = await buildLayerSbom({ path: image.file, format: 'spdx' });
    const b = await buildLayerSbom({ path: image.file, format: 'spdx' });
    expect(b.document).toBe(a.document);
    const legacy = legacyImage(tempDir('layer-sbom-legacy-'), root);
    const doc = JSON.parse((await buildLayerSbom({ path: legacy.file, format: 'spdx' })).document);
    expect(spdxValidator()(doc)).toBe(true);
    expect(doc.packages[0].comment).toMatch(/parent base:1\.0\.0/);
    rmSync(path.dirname(legacy.file), { recursive: true, force: true });
  });
});

describe('input the SBOM refuses', () => {
  it('a folder (no digest) and a malformed SOURCE_DATE_EPOCH', async () => {
    await expect(buildLayerSbom({ path: root, format: 'spdx' })).rejects.toMatchObject({ error: { code: 'invalid-input', message: expect.stringMatching(/is a folder/) } });
    await expect(buildLayerSbom({ path: image.file, format: 'spdx', sourceDateEpoch: 'yesterday' })).rejects.toMatchObject({ error: { message: expect.stringMatching(/SOURCE_DATE_EPOCH/) } });
  });
});

describe('licenses', () => {
  it('sorts metadata licenses into SPDX ids, expressions and names', () => {
    expect(classifyLicense('MIT')).toEqual({ kind: 'id', id: 'MIT' });
    expect(classifyLicense('(MIT OR Apache-2.0) AND BSD-3-Clause')).toEqual({ kind: 'expression', expression: '(MIT OR Apache-2.0) AND BSD-3-Clause' });
    expect(classifyLicense('GPL-2.0-or-later WITH Classpath-exception-2.0')).toMatchObject({ kind: 'expression' });
    expect(classifyLicense('GPL-2.0-only | MIT', true)).toEqual({ kind: 'expression', expression: 'GPL-2.0-only OR MIT' });
    expect(classifyLicense('GPL-2.0-only | MIT')).toEqual({ kind: 'name', name: 'GPL-2.0-only | MIT' });
    expect(classifyLicense('BSD License')).toEqual({ kind: 'name', name: 'BSD License' });
    for (const bad of ['MIT OR', '(MIT', 'MIT AND AND GPL-2.0-only', 'Nonsense-1.0', '']) expect(isSpdxExpression(bad), bad).toBe(false);
  });
});
