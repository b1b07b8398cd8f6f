// SPDX 2.3 JSON of a layer. The document DESCRIBES the layer image (a package with its
// SHA-256 digest); the layer CONTAINS one package per library, with its purl as a
// PACKAGE-MANAGER external reference, its declared license (an SPDX id or expression, or a
// LicenseRef- whose text is the license as the metadata wrote it) and its source in the
// comment. SPDX requires creationInfo.created: without SOURCE_DATE_EPOCH it is
// 1970-01-01T00:00:00Z, which the creation comment says stands for "not stated".
import path from 'node:path';
import { sourceText } from './components';
import type { SbomContext } from './cyclonedx';

const NOT_STATED = '1970-01-01T00:00:00Z';

interface ExtractedLicense {
  licenseId: string;
  extractedText: string;
  name: string;
}

export function spdxJson(ctx: SbomContext): string {
  const { report } = ctx;
  const fileName = path.basename(report.source);
  const extracted = new Map<string, ExtractedLicense>();
  const licenseRef = (name: string): string => {
    const known = extracted.get(name);
    if (known) return known.licenseId;
    const base = `LicenseRef-${name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;
    let id = base;
    const taken = new Set([...extracted.values()].map((e) => e.licenseId));
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    extracted.set(name, { licenseId: id, extractedText: name, name });
    return id;
  };

  const layerComment = [
    report.diffId && `diff_id ${report.diffId}`,
    report.platform?.os && `os ${report.platform.os}`,
    report.platform?.architecture && `architecture ${report.platform.architecture}`,
    report.layerId && `layerId ${report.layerId}`,
    report.parent?.id && `parent ${report.parent.id}`,
    report.parent?.digest && `parent digest ${report.parent.digest}`,
  ].filter(Boolean);
  const layer: Record<string, unknown> = {
    SPDXID: 'SPDXRef-Layer',
    name: fileName,
    ...(report.platform?.version ? { versionInfo: report.platform.version } : {}),
    packageFileName: fileName,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    ...(report.digest ? { checksums: [{ algorithm: 'SHA256', checksumValue: report.digest.replace(/^sha256:/, '') }] } : {}),
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: 'NOASSERTION',
    copyrightText: 'NOASSERTION',
    primaryPackagePurpose: 'ARCHIVE',
    ...(layerComment.length ? { comment: `AosEdge layer image: ${layerComment.join(', ')}` } : {}),
  };
  const packages = ctx.components.map((c, i) => {
    const l = c.library;
    const declared = !c.license ? 'NOASSERTION' : c.license.kind === 'id' ? c.license.id : c.license.kind === 'expression' ? c.license.expression : licenseRef(c.license.name);
    return {
      SPDXID: `SPDXRef-Package-${i + 1}`,
      name: l.name,
      versionInfo: l.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: declared,
      copyrightText: 'NOASSERTION',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl }],
      primaryPackagePurpose: 'LIBRARY',
      comment: `Found in ${sourceText(l)}`,
    };
  });
  const relationships = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-Layer' },
    ...packages.map((p) => ({ spdxElementId: 'SPDXRef-Layer', relationshipType: 'CONTAINS', relatedSpdxElement: p.SPDXID })),
  ];
  const doc: Record<string, unknown> = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: `aos-bundle layer ${fileName}`,
    documentNamespace: `https://spdx.org/spdxdocs/aos-bundle-layer-${ctx.serialUuid}`,
    creationInfo: {
      created: ctx.timestamp ?? NOT_STATED,
      creators: [`Tool: aos-bundle-${ctx.toolVersion}`],
      ...(ctx.timestamp ? {} : { comment: `No creation time was recorded (set SOURCE_DATE_EPOCH for one); ${NOT_STATED} stands for "not stated".` }),
    },
    packages: [layer, ...packages],
    relationships,
  };
  if (extracted.size) doc.hasExtractedLicensingInfos = [...extracted.values()];
  return `${JSON.stringify(doc, null, 2)}\n`;
}
