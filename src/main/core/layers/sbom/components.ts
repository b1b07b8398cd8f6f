// The SBOM's view of an inspection: one component per library fact, in the inspection's
// (sorted) order, with its purl, license and where it was found. Both formats are built
// from this list, so CycloneDX and SPDX always say the same.
import type { LayerInspection, LayerLibrary } from '../inspect';
import { classifyLicense, type LicenseFact } from './licenses';
import { purlOf } from './purl';

export interface SbomComponent {
  library: LayerLibrary;
  purl: string;
  license?: LicenseFact;
  /** Unique within the document. */
  ref: string;
}

export const SOURCE_KIND_WORDS: Record<LayerLibrary['kind'], string> = {
  dpkg: 'dpkg status',
  opkg: 'opkg status',
  'python-dist-info': 'Python dist-info METADATA',
  'python-egg-info': 'Python egg-info PKG-INFO',
  npm: 'npm package.json',
  'shared-library': 'ELF shared library',
};

export function sbomComponents(report: LayerInspection): SbomComponent[] {
  const distribution = report.osRelease?.id;
  const refs = new Set<string>();
  return report.libraries.map((library) => {
    const purl = purlOf(library, distribution);
    let ref = `${purl}#${library.source}`;
    for (let n = 2; refs.has(ref); n++) ref = `${purl}#${library.source}#${n}`;
    refs.add(ref);
    const c: SbomComponent = { library, purl, ref };
    if (library.license) c.license = classifyLicense(library.license, library.kind === 'opkg');
    return c;
  });
}

/** `<source> (<what it is>)[, soname <s>]`: where a fact came from, in words. */
export function sourceText(l: LayerLibrary): string {
  return `${l.source} (${SOURCE_KIND_WORDS[l.kind]})${l.soname ? `, soname ${l.soname}` : ''}`;
}
