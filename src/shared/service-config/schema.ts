// The v1 `meta/config.yaml` key catalogue (spec §2). One source of truth: the validator
// walks it to find unknown keys and type errors, the suggestions come from it, and the
// renderer builds its form from it.
import { fieldIn } from '../config-common/fields';
import type { FieldSpec, KeyPath } from './index';

export const RUNNERS = ['runc', 'crun', 'runx', 'xrun'] as const;
export const SYMLINK_POLICIES = ['copy', 'delete', 'raise'] as const;
export const BALANCING_POLICIES = ['enabled', 'disabled'] as const;

const alert = (key: string, what: string): FieldSpec => ({
  key,
  kind: 'section',
  doc: `Alert when ${what} usage stays outside the thresholds for longer than minTime.`,
  fields: [
    { key: 'minTime', kind: 'duration', doc: 'How long (ISO 8601 duration, e.g. PT5S) the value must stay out of bounds.' },
    { key: 'minThreshold', kind: 'number', doc: 'Lower threshold.' },
    { key: 'maxThreshold', kind: 'number', doc: 'Upper threshold.' },
  ],
});

const size = (key: string, doc: string): FieldSpec => ({
  key,
  kind: 'size',
  doc: `${doc} Plain number = bytes; k/kb, m/mb, g/gb are decimal, ki is 1024.`,
});

export const SERVICE_CONFIG_SCHEMA: readonly FieldSpec[] = [
  {
    key: 'publisher',
    kind: 'section',
    doc: 'General publisher information (optional, informational).',
    fields: [
      { key: 'author', kind: 'string', doc: 'Author of the service.' },
      { key: 'company', kind: 'string', doc: 'Company publishing the service.' },
    ],
  },
  {
    key: 'build',
    kind: 'section',
    required: true,
    doc: 'How to build and sign the service bundle.',
    fields: [
      { key: 'os', kind: 'string', doc: 'Target operating system; `linux`.', defaultText: 'linux' },
      { key: 'arch', kind: 'string', doc: 'Target architecture as the v1 tool writes it (`x86`, `aarch64`); informational.' },
      {
        key: 'sign_pkcs12',
        kind: 'path',
        doc: 'PKCS#12 file with the signing key and certificate chain (empty password). Use this or sign_key + sign_certificate.',
      },
      { key: 'sign_key', kind: 'path', doc: 'PEM private key; alternative to sign_pkcs12, together with sign_certificate.' },
      {
        key: 'sign_certificate',
        kind: 'path',
        doc: 'PEM certificate (may hold the chain, leaf first); alternative to sign_pkcs12, together with sign_key.',
      },
      {
        key: 'symlinks',
        kind: 'enum',
        options: SYMLINK_POLICIES,
        defaultText: 'copy',
        doc: 'What to do with symlinks under the source folder: copy them, delete them, or raise an error.',
      },
      { key: 'source_folder', kind: 'path', defaultText: 'src', doc: "The service's root filesystem, relative to the service root." },
      { key: 'package_folder', kind: 'path', defaultText: '.', doc: 'Where service.tar.gz is written, relative to the service root.' },
      { key: 'context', kind: 'string', doc: 'Appears in templates only; unused.' },
    ],
  },
  {
    key: 'publish',
    kind: 'section',
    required: true,
    doc: 'Where and as what the bundle is uploaded. Required for upload; version is always required.',
    fields: [
      { key: 'url', kind: 'host', doc: 'Cloud host name, e.g. aoscloud.io; the upload goes to https://{url}:10000/.', defaultText: 'aoscloud.io' },
      { key: 'service_uid', kind: 'string', doc: "The service's id from the cloud's service page; required to upload." },
      { key: 'tls_pkcs12', kind: 'path', doc: 'PKCS#12 for mutual TLS with the cloud (empty password).' },
      { key: 'tls_key', kind: 'path', doc: 'PEM private key for mutual TLS; alternative to tls_pkcs12, with tls_certificate.' },
      { key: 'tls_certificate', kind: 'path', doc: 'PEM certificate for mutual TLS; alternative to tls_pkcs12, with tls_key.' },
      { key: 'version', kind: 'semver', required: true, doc: 'Service version, strict SemVer 2.0.0 such as 1.0.0 or 1.0.0-rc.1.' },
    ],
  },
  {
    key: 'configuration',
    kind: 'section',
    required: true,
    doc: "The service's runtime settings.",
    fields: [
      { key: 'cmd', kind: 'command', doc: 'Start command: a string, or a list of strings (entrypoint and arguments).' },
      { key: 'workingDir', kind: 'path', doc: 'Working directory: an absolute path inside the container.', defaultText: '/' },
      {
        key: 'state',
        kind: 'section',
        doc: 'Persistent state. When required, meta/<filename> must exist and ships as default_state.dat.',
        fields: [
          { key: 'filename', kind: 'path', defaultText: 'state.dat', doc: 'File in meta/ holding the default state.' },
          { key: 'required', kind: 'boolean', defaultText: 'false', doc: 'Whether the service has a state file.' },
        ],
      },
      {
        key: 'layers',
        kind: 'object-list',
        doc: 'Layers the service uses. minVersion is included, maxVersion excluded; equal means exactly. A bare uid means any version.',
        fields: [
          { key: 'uid', kind: 'string', required: true, doc: 'Layer uid, e.g. aos-pylibs-layer.' },
          { key: 'minVersion', kind: 'semver', doc: 'Lowest accepted version (included), strict SemVer.' },
          { key: 'maxVersion', kind: 'semver', doc: 'Upper bound (excluded) or, equal to minVersion, the exact version.' },
        ],
      },
      { key: 'env', kind: 'string-list', doc: 'Environment variables as NAME=value.' },
      {
        key: 'instances',
        kind: 'section',
        doc: 'How instances of the service run on units.',
        fields: [
          { key: 'minInstances', kind: 'integer', min: 0, doc: 'Minimal number of instances to run on a unit.' },
          { key: 'priority', kind: 'integer', min: 0, max: 1_000_000_000, defaultText: '0', doc: 'Priority 0..1000000000, 0 is the lowest.' },
          { key: 'labels', kind: 'string-list', doc: 'Node labels where instances should run.' },
        ],
      },
      {
        key: 'runParameters',
        kind: 'section',
        doc: 'How the unit starts and restarts the service.',
        fields: [
          { key: 'startInterval', kind: 'duration', defaultText: 'PT5S', doc: 'Maximum time (ISO 8601 duration) the service needs to start.' },
          { key: 'startBurst', kind: 'integer', min: 0, defaultText: '3', doc: 'Number of start attempts.' },
          { key: 'restartInterval', kind: 'duration', defaultText: 'PT1S', doc: 'Time (ISO 8601 duration) before a restart after exit.' },
        ],
      },
      { key: 'offlineTTL', kind: 'duration', doc: 'Remove the service when the unit stays offline longer than this (ISO 8601).' },
      { key: 'downloadTTL', kind: 'duration', doc: 'Remove the service when it cannot be downloaded for longer than this (ISO 8601).' },
      {
        key: 'isResourceLimits',
        kind: 'boolean',
        defaultText: 'true',
        doc: 'false removes resource limits and reservations; allowed only for pre-release versions.',
      },
      { key: 'runner', kind: 'enum', options: RUNNERS, defaultText: 'crun', doc: 'Runner for the service instances.' },
      {
        key: 'runners',
        kind: 'enum-list',
        options: RUNNERS,
        defaultText: '[crun, runc]',
        doc: 'Acceptable runners; xrun means a VM/unikernel service.',
      },
      {
        key: 'quotas',
        kind: 'section',
        doc: 'Limits for the service. mem must be at least 6 MB for container runners (crun, runc).',
        fields: [
          { key: 'cpu', kind: 'number', min: 0, doc: 'CPU quota.' },
          size('mem', 'Memory limit.'),
          size('state', 'State size limit.'),
          size('storage', 'Storage limit.'),
          size('upload_speed', 'Upload speed limit.'),
          size('download_speed', 'Download speed limit.'),
          size('upload', 'Upload volume limit.'),
          size('download', 'Download volume limit.'),
          size('temp', 'Temporary storage limit.'),
        ],
      },
      {
        key: 'requestedResources',
        kind: 'section',
        doc: 'Resources reserved for the service. ram must be at least 6 MB for container runners.',
        fields: [
          { key: 'cpu', kind: 'number', min: 0, doc: 'Requested CPU.' },
          size('ram', 'Requested RAM.'),
          size('storage', 'Requested storage.'),
          size('state', 'Requested state storage.'),
        ],
      },
      {
        key: 'alerts',
        kind: 'section',
        doc: 'Resource alerts.',
        fields: [
          alert('ram', 'RAM'),
          alert('cpu', 'CPU'),
          alert('storage', 'storage'),
          alert('upload', 'upload'),
          alert('download', 'download'),
        ],
      },
      { key: 'hostname', kind: 'host', doc: 'Host name inside the container.' },
      {
        key: 'exposedPorts',
        kind: 'string-list',
        doc: 'Ports the service exposes: 9000, "8089-8090/tcp", "1515/udp".',
      },
      {
        key: 'allowedConnections',
        kind: 'string-list',
        doc: 'Connections to other services: "<service-uuid>/<port or range>/<tcp|udp>".',
      },
      { key: 'balancingPolicy', kind: 'enum', options: BALANCING_POLICIES, defaultText: 'enabled', doc: 'Whether the cloud may balance instances.' },
      {
        key: 'devices',
        kind: 'object-list',
        doc: 'Host devices the service uses.',
        fields: [
          { key: 'name', kind: 'string', required: true, doc: 'Device name (camera0, mic0, audio0, ...).' },
          { key: 'mode', kind: 'string', required: true, doc: 'Access mode: a combination of r, w and m, e.g. rw or rwm.' },
        ],
      },
      { key: 'resources', kind: 'string-list', doc: 'Unit resources the service uses (vis, system-dbus, bluetooth, ...).' },
      {
        key: 'permissions',
        kind: 'map',
        doc: 'Per functional server, access to functions: { vis: { Signal.Doors.*: rw } }; modes r, w, rw.',
      },
    ],
  },
];

/** The spec of the key at `path` (list indices skipped), or undefined when unknown. */
export function fieldAt(path: KeyPath): FieldSpec | undefined {
  return fieldIn(SERVICE_CONFIG_SCHEMA, path);
}
