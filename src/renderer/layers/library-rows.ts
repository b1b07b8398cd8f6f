// The Libraries tab's rows: searched (name, version, source, kind) and sorted by a column.
// Pure, so the table and its tests agree.
import type { LayerInspectionView } from '../../shared/contract';

export type LibraryRow = LayerInspectionView['libraries'][number];
export type LibrarySortKey = 'name' | 'version' | 'kind' | 'source';
export interface LibrarySort {
  key: LibrarySortKey;
  descending: boolean;
}

/** How each fact source reads in the table. */
export const SOURCE_KIND_LABEL: Record<LibraryRow['kind'], string> = {
  dpkg: 'dpkg status',
  opkg: 'opkg status',
  'python-dist-info': 'Python dist-info',
  'python-egg-info': 'Python egg-info',
  npm: 'npm package.json',
  'shared-library': 'shared library (ELF)',
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function libraryRows(libraries: readonly LibraryRow[], query: string, sort: LibrarySort): LibraryRow[] {
  const q = query.trim().toLowerCase();
  const kept = q === '' ? [...libraries] : libraries.filter((l) => [l.name, l.version, l.source, SOURCE_KIND_LABEL[l.kind], l.soname ?? '', l.license ?? ''].some((t) => t.toLowerCase().includes(q)));
  const value = (l: LibraryRow) => (sort.key === 'kind' ? SOURCE_KIND_LABEL[l.kind] : l[sort.key]);
  kept.sort((a, b) => {
    const c = collator.compare(value(a), value(b)) || collator.compare(a.name, b.name) || collator.compare(a.source, b.source);
    return sort.descending ? -c : c;
  });
  return kept;
}
