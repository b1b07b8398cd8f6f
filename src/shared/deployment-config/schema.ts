// The v2 deployment `config.yaml` key catalogue (deployment-bundle.md §2). One source of
// truth: the validator walks it to find unknown keys and type errors, the suggestions come
// from it, and the renderer builds the item form from it.
import { fieldIn } from '../config-common/fields';
import type { FieldSpec } from '../config-common/types';
import type { KeyPath } from '../diagnostics';

export const ITEM_TYPES = ['service', 'layer', 'component'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** OCI architecture names the platform knows; `arm` takes a variant, `any` is for interpreted services. */
export const ARCHITECTURES = ['amd64', 'arm64', 'arm', 'any'] as const;

/** The v1 tool's and the kernel's names for the same machines, for "did you mean". */
export const ARCHITECTURE_ALIASES: Readonly<Record<string, (typeof ARCHITECTURES)[number]>> = {
  x86_64: 'amd64',
  x86: 'amd64',
  x64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armv8: 'arm64',
  armhf: 'arm',
  armv7: 'arm',
  armv7l: 'arm',
  armv6: 'arm',
  armel: 'arm',
};

export const LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const COMPONENT_MEDIA_TYPES = [
  'application/vnd.aos.image.component.full.v1+gzip',
  'application/vnd.aos.image.component.inc.v1+gzip',
  'application/vnd.aos.image.component.full.v1+squashfs',
  'application/vnd.aos.image.component.inc.v1+squashfs',
] as const;

/** Media types each item type may carry; a service built from folders carries none. */
export const MEDIA_TYPES_BY_ITEM_TYPE: Readonly<Record<ItemType, readonly string[]>> = {
  layer: [LAYER_MEDIA_TYPE],
  component: COMPONENT_MEDIA_TYPES,
  service: [],
};

export const RUNNERS = ['runc', 'crun', 'runx', 'xrun'] as const;

const binarySize = (key: string, doc: string): FieldSpec => ({
  key,
  kind: 'size',
  doc: `${doc} Plain number = bytes; KiB, MiB, GiB (also Ki, Mi, Gi) are binary: 1 MiB = 1048576 bytes.`,
});

const identityFields = (what: string): FieldSpec[] => [
  { key: 'type', kind: 'enum', required: true, options: ITEM_TYPES, doc: `Kind of ${what}: service, layer or component.` },
  { key: 'codename', kind: 'string', required: true, doc: `The ${what}'s identity in the cloud (no uuid needed).` },
];

const SERVICE_CONFIGURATION: readonly FieldSpec[] = [
  { key: 'cmd', kind: 'command', doc: 'Start command: a string, or a list of strings (entrypoint and arguments).' },
  { key: 'workingDir', kind: 'path', defaultText: '/', doc: 'Working directory: an absolute path inside the container.' },
  { key: 'instances', kind: 'map', doc: 'How instances of the service run on units.' },
  {
    key: 'quotas',
    kind: 'section',
    doc: 'Limits for the service. Sizes such as 128MiB use binary units here (unlike v1).',
    fields: [
      { key: 'cpuLimit', kind: 'integer', min: 0, doc: 'CPU limit in DMIPS.' },
      binarySize('ramLimit', 'RAM limit.'),
      binarySize('storageLimit', 'Storage limit.'),
      binarySize('stateLimit', 'State size limit.'),
      binarySize('tmpLimit', 'Temporary storage limit.'),
      { key: 'noFileLimit', kind: 'integer', min: 0, doc: 'Most open files.' },
      { key: 'pidsLimit', kind: 'integer', min: 0, doc: 'Most processes.' },
    ],
  },
  {
    key: 'skipResourceLimits',
    kind: 'boolean',
    defaultText: 'false',
    doc: 'true removes resource limits and reservations; allowed only for pre-release versions (e.g. 1.0.0-beta.1).',
  },
  {
    key: 'resources',
    kind: 'object-list',
    doc: 'Unit resources the service uses.',
    fields: [
      { key: 'name', kind: 'string', required: true, doc: 'Resource name (vis, system-dbus, bluetooth, ...).' },
      { key: 'mode', kind: 'string', doc: 'Access mode, e.g. rw.' },
    ],
  },
  { key: 'layers', kind: 'string-list', doc: 'Codenames of the layers the service uses (versions go in dependencies).' },
  { key: 'state', kind: 'map', doc: 'Persistent state settings.' },
  { key: 'env', kind: 'string-list', doc: 'Environment variables as NAME=value.' },
  { key: 'runner', kind: 'enum', options: RUNNERS, defaultText: 'crun', doc: 'Runner for the service instances.' },
  { key: 'hostname', kind: 'host', doc: 'Host name inside the container.' },
  { key: 'exposedPorts', kind: 'string-list', doc: 'Ports the service exposes: 9000, "8089-8090/tcp", "1515/udp".' },
  {
    key: 'allowedConnections',
    kind: 'string-list',
    doc: 'Connections to other services: "<hostname or uuid>/<port or port-port>/<tcp|udp>".',
  },
  { key: 'offlineTTL', kind: 'duration', doc: 'Remove the service when the unit stays offline longer than this (ISO 8601, e.g. P1D).' },
  { key: 'alertRules', kind: 'map', doc: 'Resource alert rules.' },
  { key: 'permissions', kind: 'map', doc: 'Per functional server, access to functions: { vis: { Signal.Doors.*: rw } }.' },
];

const IMAGE_FIELDS: readonly FieldSpec[] = [
  {
    key: 'mediaType',
    kind: 'string',
    doc: `Image media type. Layers: ${LAYER_MEDIA_TYPE}; components: application/vnd.aos.image.component.{full,inc}.v1+{gzip,squashfs}; omitted for services built from folders.`,
  },
  {
    key: 'archInfo',
    kind: 'section',
    required: true,
    doc: 'The architecture the image is for.',
    fields: [
      { key: 'architecture', kind: 'enum', required: true, options: ARCHITECTURES, doc: 'OCI name: amd64, arm64, arm (with variant) or any.' },
      { key: 'variant', kind: 'string', doc: 'CPU variant, e.g. v7 for arm.' },
    ],
  },
  {
    key: 'osInfo',
    kind: 'section',
    doc: 'The operating system the image is for.',
    fields: [
      { key: 'os', kind: 'string', defaultText: 'linux', doc: 'Operating system.' },
      { key: 'version', kind: 'string', doc: 'Operating system version.' },
      { key: 'features', kind: 'string-list', doc: 'Operating system features (e.g. the packages a layer provides).' },
    ],
  },
  { key: 'path', kind: 'path', doc: 'A prepared file (a layer or component image), relative to the bundle (or item) folder.' },
  { key: 'sourceFolder', kind: 'path', doc: "A folder (a service's root filesystem for this architecture), relative to the bundle (or item) folder." },
];

export const DEPLOYMENT_FIELDS: readonly FieldSpec[] = [
  { key: 'schemaVersion', kind: 'integer', required: true, min: 2, max: 2, doc: 'Always 2 for a deployment bundle.' },
  {
    key: 'publisher',
    kind: 'section',
    doc: 'General publisher information (optional, informational).',
    fields: [
      { key: 'author', kind: 'string', doc: 'Author of the bundle.' },
      { key: 'company', kind: 'string', doc: 'Company publishing the bundle.' },
    ],
  },
  {
    key: 'publish',
    kind: 'section',
    required: true,
    doc: 'How the bundle is signed and uploaded.',
    fields: [
      { key: 'tlsKey', kind: 'path', required: true, doc: 'PKCS#12 file used for mutual TLS with the cloud and for signing.' },
      { key: 'domain', kind: 'host', doc: "Cloud host name; else the certificate subject's O, else aoscloud.io." },
      { key: 'signKey', kind: 'path', doc: 'A separate signing key (optional).' },
    ],
  },
  {
    key: 'items',
    kind: 'object-list',
    required: true,
    doc: 'The deployable items of the bundle: services, layers or components.',
    fields: [
      {
        key: 'identity',
        kind: 'section',
        required: true,
        doc: 'What the item is and its identity in the cloud.',
        fields: [
          ...identityFields('item'),
          { key: 'title', kind: 'string', doc: 'Title shown in the cloud (optional).' },
          { key: 'description', kind: 'string', doc: 'Description (optional).' },
        ],
      },
      { key: 'version', kind: 'semver', required: true, doc: 'Item version, strict SemVer 2.0.0 such as 1.0.0 or 1.0.0-rc.1.' },
      { key: 'sourceFolder', kind: 'path', doc: "The item's root folder; image paths are relative to it when set." },
      { key: 'images', kind: 'object-list', required: true, doc: 'One image per architecture (and variant, and os).', fields: IMAGE_FIELDS },
      {
        key: 'dependencies',
        kind: 'object-list',
        doc: 'Items this one needs: a layer built on a parent layer, a service needing a layer.',
        fields: [
          { key: 'identity', kind: 'section', required: true, doc: 'The item depended on.', fields: identityFields('dependency') },
          { key: 'versions', kind: 'semver-range', required: true, doc: 'Accepted versions as a SemVer constraint, e.g. ">=1.0.0 <2.0.0".' },
        ],
      },
      { key: 'configuration', kind: 'section', doc: "For services: the service's runtime settings.", fields: SERVICE_CONFIGURATION },
    ],
  },
];

/** The spec of the key at `path` (list indices skipped), or undefined when unknown. */
export function deploymentFieldAt(path: KeyPath): FieldSpec | undefined {
  return fieldIn(DEPLOYMENT_FIELDS, path);
}
