// The new-layer-bundle wizard's values and the checks each step must pass before Next.
// What the wizard cannot know for sure (an architecture name the platform does not use, a
// version that differs from the image's file name) is left to the config checker, whose
// diagnostics the review step shows before anything is written.
import { useForm } from '@mantine/form';
import { joinPath } from '../common/paths';
import { validateRangeDraft } from '../service/layers/layer-rules';
import type { RangeDraft } from '../common/VersionRangeFields';
import { isStrictSemver } from '../../shared/config-common/semver-strict';

export type ItemType = 'layer' | 'service' | 'component';

/** One image of the item: a prepared file (layer, component) or a rootfs folder (service). */
export interface ImageRow {
  /** Stable key for the row while rows come and go. */
  key: string;
  /** Where the file or folder is now (absolute, or relative to the bundle folder). */
  source: string;
  kind: 'file' | 'folder';
  os: string;
  architecture: string;
  /** For arm: v6, v7, v8; empty otherwise. */
  variant: string;
  osVersion: string;
  /** The version the file name states, when it states one (compared with the item's). */
  nameVersion?: string;
}

export interface DependencyRow extends RangeDraft {
  key: string;
  type: ItemType;
  codename: string;
}

export interface NewBundleValues {
  parent: string;
  name: string;
  type: ItemType;
  codename: string;
  title: string;
  description: string;
  version: string;
  images: ImageRow[];
  dependencies: DependencyRow[];
  /** publish.tlsKey: the OEM user's PKCS#12. */
  tlsKey: string;
}

export const DEFAULT_OEM_PKCS12 = 'aos-user-oem.p12';

export const ITEM_TYPES: { value: ItemType; label: string }[] = [
  { value: 'layer', label: 'Layer (OEM): shared files a service builds on' },
  { value: 'component', label: 'Component (OEM): a unit firmware or system image' },
  { value: 'service', label: 'Service (service provider): built from a rootfs folder' },
];

/** The architecture names of deployment-bundle.md §2 (OCI names). */
export const ARCHITECTURES = ['amd64', 'arm64', 'arm', 'any'];

/** The fields each step owns, validated when the user presses Next. */
export const STEP_FIELDS: (keyof NewBundleValues)[][] = [['parent', 'name'], ['type', 'codename', 'version'], ['images'], ['dependencies'], ['tlsKey'], []];

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CODENAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

let nextKey = 1;
export const rowKey = () => `row-${nextKey++}`;

/** `initial`: values to start with instead of the defaults (read on the first render only, as useForm does). */
export function useNewBundleForm(initialParent = '', initial: Partial<NewBundleValues> = {}) {
  return useForm<NewBundleValues>({
    mode: 'controlled',
    initialValues: {
      parent: initialParent,
      name: '',
      type: 'layer',
      codename: '',
      title: '',
      description: '',
      version: '1.0.0',
      images: [],
      dependencies: [],
      tlsKey: '',
      ...initial,
    },
    validate: {
      parent: (v) => (v.trim() ? null : 'Choose the folder the bundle goes into'),
      name: (v) => {
        if (!v.trim()) return 'Give the bundle folder a name';
        if (!NAME_RE.test(v.trim())) return 'Use letters, digits, dots, dashes and underscores; start with a letter or digit';
        return null;
      },
      codename: (v) => {
        if (!v.trim()) return "Give the item a codename: its identity in the cloud, e.g. pylibs";
        if (!CODENAME_RE.test(v.trim())) return 'Use letters, digits, dots, dashes and underscores; no spaces';
        return null;
      },
      version: (v) => (isStrictSemver(v.trim()) ? null : 'Use strict SemVer: MAJOR.MINOR.PATCH, e.g. 1.0.0 or 1.2.0-rc.1'),
      images: (rows, values) => imagesProblem(rows, values.type),
      dependencies: (rows) => dependenciesProblem(rows),
      tlsKey: (v) => (!v.trim() || /\.(p12|pfx)$/i.test(v.trim()) ? null : 'Pick a .p12 or .pfx file'),
    },
  });
}

export type NewBundleForm = ReturnType<typeof useNewBundleForm>;

/** What is wrong with the image rows as a whole, or null. */
export function imagesProblem(rows: readonly ImageRow[], type: ItemType): string | null {
  if (rows.length === 0) return type === 'service' ? 'Add the rootfs folder of at least one architecture' : 'Add at least one image (.tar.gz)';
  const empty = rows.find((r) => !r.architecture.trim() || !r.os.trim());
  if (empty) return `Give every image its architecture and os (${empty.source})`;
  const seen = new Map<string, string>();
  for (const r of rows) {
    const id = `${r.architecture.trim()}/${r.variant.trim()}/${r.os.trim()}`;
    const other = seen.get(id);
    if (other) return `Two images for ${describePlatform(r)}: ${other} and ${r.source}. One image per architecture, variant and os.`;
    seen.set(id, r.source);
  }
  return null;
}

export function dependenciesProblem(rows: readonly DependencyRow[]): string | null {
  for (const [i, r] of rows.entries()) {
    if (!r.codename.trim()) return `Dependency ${i + 1}: enter the codename of the layer it needs`;
    const errors = validateRangeDraft(r);
    const first = errors.minVersion ?? errors.maxVersion;
    if (first) return `Dependency ${r.codename}: ${first}`;
  }
  return null;
}

export function describePlatform(r: Pick<ImageRow, 'os' | 'architecture' | 'variant'>): string {
  return `${r.os || '?'}/${r.architecture || '?'}${r.variant ? `/${r.variant}` : ''}`;
}

export function targetDir(values: Pick<NewBundleValues, 'parent' | 'name'>): string {
  return joinPath(values.parent, values.name);
}

/** Validates the fields of one step; true when they all pass. */
export function validateStep(form: NewBundleForm, step: number): boolean {
  let ok = true;
  for (const field of STEP_FIELDS[step] ?? []) {
    const result = form.validateField(field) as { hasError: boolean };
    if (result.hasError) ok = false;
  }
  return ok;
}
