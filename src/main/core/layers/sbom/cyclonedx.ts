// CycloneDX 1.6 JSON of a layer, with the CycloneDX project's own library (models,
// normaliser, sorted lists). The subject (metadata.component) is the layer image: its
// file name, version, SHA-256 digest, and the diff_id and platform as properties; each
// library is a component with its purl, license and source (aos:source properties).
import * as CDX from '@cyclonedx/cyclonedx-library';
import path from 'node:path';
import type { LayerInspection } from '../inspect';
import { sourceText, type SbomComponent } from './components';
import type { LicenseFact } from './licenses';

export interface SbomContext {
  report: LayerInspection;
  components: SbomComponent[];
  /** `YYYY-MM-DDTHH:MM:SSZ` from SOURCE_DATE_EPOCH, or none. */
  timestamp?: string;
  serialUuid: string;
  toolVersion: string;
}

function license(f: LicenseFact): CDX.Models.License {
  if (f.kind === 'id') return new CDX.Models.SpdxLicense(f.id);
  if (f.kind === 'expression') return new CDX.Models.LicenseExpression(f.expression);
  return new CDX.Models.NamedLicense(f.name);
}

const prop = (name: string, value: string) => new CDX.Models.Property(name, value);

export function cycloneDxJson(ctx: SbomContext): string {
  const { report } = ctx;
  const bom = new CDX.Models.Bom();
  bom.serialNumber = `urn:uuid:${ctx.serialUuid}`;
  if (ctx.timestamp) bom.metadata.timestamp = new Date(ctx.timestamp);
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'aos-bundle', { version: ctx.toolVersion, bomRef: 'tool:aos-bundle' }));

  const subject = new CDX.Models.Component(CDX.Enums.ComponentType.File, path.basename(report.source), { bomRef: report.digest ?? 'layer' });
  if (report.platform?.version) subject.version = report.platform.version;
  if (report.digest) subject.hashes.set(CDX.Enums.HashAlgorithm['SHA-256'], report.digest.replace(/^sha256:/, ''));
  subject.description = `AosEdge layer image (${report.form === 'legacy' ? 'legacy form: metadata.json and the layer tar' : 'OCI layer'}${report.mediaType ? `, ${report.mediaType}` : ''})`;
  if (report.mediaType) subject.properties.add(prop('aos:layer:media_type', report.mediaType));
  if (report.diffId) subject.properties.add(prop('aos:layer:diff_id', report.diffId));
  if (report.platform?.os) subject.properties.add(prop('aos:layer:os', report.platform.os));
  if (report.platform?.architecture) subject.properties.add(prop('aos:layer:architecture', report.platform.architecture));
  if (report.layerId) subject.properties.add(prop('aos:layer:id', report.layerId));
  if (report.parent?.id) subject.properties.add(prop('aos:layer:parent', report.parent.id));
  if (report.parent?.digest) subject.properties.add(prop('aos:layer:parent_digest', report.parent.digest));
  bom.metadata.component = subject;

  for (const c of ctx.components) {
    const l = c.library;
    const comp = new CDX.Models.Component(CDX.Enums.ComponentType.Library, l.name, { version: l.version, bomRef: c.ref });
    comp.purl = c.purl;
    if (c.license) comp.licenses.add(license(c.license));
    comp.properties.add(prop('aos:source', l.source));
    comp.properties.add(prop('aos:source:kind', l.kind));
    comp.properties.add(prop('aos:source:description', sourceText(l)));
    if (l.soname) comp.properties.add(prop('aos:soname', l.soname));
    bom.components.add(comp);
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
