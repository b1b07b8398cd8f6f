// The v1 `meta/config.yaml` key catalogue (spec §2). One source of truth: the validator
// walks it to find unknown keys and type errors, the suggestions come from it, and the
// renderer builds its form from it.
import { fieldIn } from '../config-common/fields';
import type { FieldSpec, KeyPath } from './index';

export const RUNNERS = ['runc', 'crun', 'runx', 'xrun'] as const;
export const SYMLINK_POLICIES = ['copy', 'delete', 'raise'] as const;
export const BALANCING_POLICIES = ['enabled', 'disabled'] as const;

// Thresholds of ram, cpu and storage (a partition) are percent of what the unit has; those
// of upload and download traffic are absolute, in bytes (spec oci-output §4, alertRules).
const alert = (key: string, label: string, what: string, unit: string): FieldSpec => ({
  key,
  kind: 'section',
  label,
  doc: `Alert when ${what} usage stays outside the thresholds for longer than \`minTime\`.`,
  fields: [
    { key: 'minTime', kind: 'duration', label: 'Minimum time', doc: 'How long (ISO 8601 duration, e.g. `PT5S`) the value must stay out of bounds.' },
    { key: 'minThreshold', kind: 'number', label: 'Lower threshold', unit, doc: 'Lower threshold.' },
    { key: 'maxThreshold', kind: 'number', label: 'Upper threshold', unit, doc: 'Upper threshold.' },
  ],
});

const size = (key: string, label: string, doc: string): FieldSpec => ({
  key,
  kind: 'size',
  label,
  doc: `${doc} Plain number = bytes; \`k\`/\`kb\`, \`m\`/\`mb\`, \`g\`/\`gb\` are decimal, \`ki\` is 1024.`,
});

export const SERVICE_CONFIG_SCHEMA: readonly FieldSpec[] = [
  {
    key: 'publisher',
    label: 'Publisher',
    kind: 'section',
    doc: 'General publisher information (optional, informational).',
    fields: [
      { key: 'author', label: 'Author', kind: 'string', doc: 'Author of the service.' },
      { key: 'company', label: 'Company', kind: 'string', doc: 'Company publishing the service.' },
    ],
  },
  {
    key: 'build',
    label: 'Build',
    kind: 'section',
    required: true,
    doc: 'How to build and sign the service bundle.',
    fields: [
      { key: 'os', label: 'Operating system', kind: 'string', doc: 'Target operating system; `linux`.', defaultText: 'linux' },
      { key: 'arch', label: 'Architecture', kind: 'string', doc: "Target architecture as the platform's signing tool writes it (`x86`, `aarch64`); informational." },
      {
        key: 'sign_pkcs12',
        label: 'Signing PKCS#12',
        kind: 'path',
        doc: "PKCS#12 file with the signing key and certificate chain (the platform's key tool writes it without a password; a protected one asks for its password). Use this or `sign_key` + `sign_certificate`.",
      },
      { key: 'sign_key', label: 'Signing key', kind: 'path', doc: 'PEM private key; alternative to `sign_pkcs12`, together with `sign_certificate`.' },
      {
        key: 'sign_certificate',
        label: 'Signing certificate',
        kind: 'path',
        doc: 'PEM certificate (may hold the chain, leaf first); alternative to `sign_pkcs12`, together with `sign_key`.',
      },
      {
        key: 'symlinks',
        label: 'Symbolic links',
        kind: 'enum',
        options: SYMLINK_POLICIES,
        defaultText: 'copy',
        doc: 'What to do with symlinks under the source folder: copy them, delete them, or raise an error.',
      },
      { key: 'source_folder', label: 'Source folder', kind: 'path', defaultText: 'src', doc: "The service's root filesystem, relative to the service root." },
      { key: 'package_folder', label: 'Package folder', kind: 'path', defaultText: '.', doc: 'Where `service.tar.gz` is written, relative to the service root.' },
      { key: 'context', label: 'Context', kind: 'string', doc: 'Appears in templates only; unused.' },
    ],
  },
  {
    key: 'publish',
    label: 'Publish',
    kind: 'section',
    required: true,
    doc: 'Where and as what the bundle is uploaded. Required for upload; version is always required.',
    fields: [
      { key: 'url', label: 'Cloud host', kind: 'host', doc: 'Cloud host name, e.g. `aoscloud.io`; the upload goes to `https://{url}:10000/`.', defaultText: 'aoscloud.io' },
      { key: 'service_uid', label: 'Service id', kind: 'string', doc: "The service's id from the cloud's service page; required to upload." },
      { key: 'tls_pkcs12', label: 'TLS PKCS#12', kind: 'path', doc: 'PKCS#12 for mutual TLS with the cloud (a protected one asks for its password). Empty (and no `tls_key`): the signing credentials of `build`.' },
      { key: 'tls_key', label: 'TLS key', kind: 'path', doc: 'PEM private key for mutual TLS; alternative to `tls_pkcs12`, with `tls_certificate`.' },
      { key: 'tls_certificate', label: 'TLS certificate', kind: 'path', doc: 'PEM certificate for mutual TLS; alternative to `tls_pkcs12`, with `tls_key`.' },
      { key: 'version', label: 'Version', kind: 'semver', required: true, doc: 'Service version, strict SemVer 2.0.0 such as 1.0.0 or 1.0.0-rc.1.' },
    ],
  },
  {
    key: 'configuration',
    label: 'Configuration',
    kind: 'section',
    required: true,
    doc: "The service's runtime settings.",
    fields: [
      { key: 'cmd', label: 'Start command', kind: 'command', doc: 'Start command: a string, or a list of strings (entrypoint and arguments).' },
      { key: 'workingDir', label: 'Working directory', kind: 'path', doc: 'Working directory: an absolute path inside the container.', defaultText: '/' },
      {
        key: 'state',
        label: 'State',
        kind: 'section',
        doc: 'Persistent state. When required, `meta/<filename>` must exist and ships as `default_state.dat`.',
        fields: [
          { key: 'filename', label: 'State file', kind: 'path', defaultText: 'state.dat', doc: 'File in `meta/` holding the default state.' },
          { key: 'required', label: 'State required', kind: 'boolean', defaultText: 'false', doc: 'Whether the service has a state file.' },
        ],
      },
      {
        key: 'layers',
        label: 'Layers',
        kind: 'object-list',
        doc: 'Layers the service uses. `minVersion` is included, `maxVersion` excluded; equal means exactly. A bare uid means any version.',
        fields: [
          { key: 'uid', label: 'Layer uid', kind: 'string', required: true, doc: 'Layer uid, e.g. `aos-pylibs-layer`.' },
          { key: 'minVersion', label: 'Minimum version', kind: 'semver', doc: 'Lowest accepted version (included), strict SemVer.' },
          { key: 'maxVersion', label: 'Maximum version', kind: 'semver', doc: 'Upper bound (excluded) or, equal to minVersion, the exact version.' },
        ],
      },
      { key: 'env', label: 'Environment', kind: 'string-list', doc: 'Environment variables as `NAME=value`.' },
      {
        key: 'instances',
        label: 'Instances',
        kind: 'section',
        doc: 'How instances of the service run on units.',
        fields: [
          { key: 'minInstances', label: 'Minimum instances', kind: 'integer', min: 0, doc: 'Minimal number of instances to run on a unit.' },
          { key: 'priority', label: 'Priority', kind: 'integer', min: 0, max: 1_000_000_000, defaultText: '0', doc: 'Priority from 0 (the lowest) to 1000000000.' },
          { key: 'labels', label: 'Node labels', kind: 'string-list', doc: 'Node labels where instances should run.' },
        ],
      },
      {
        key: 'runParameters',
        label: 'Run parameters',
        kind: 'section',
        doc: 'How the unit starts and restarts the service.',
        fields: [
          { key: 'startInterval', label: 'Start interval', kind: 'duration', defaultText: 'PT5S', doc: 'Maximum time (ISO 8601 duration) the service needs to start.' },
          { key: 'startBurst', label: 'Start attempts', kind: 'integer', min: 0, defaultText: '3', doc: 'Number of start attempts.' },
          { key: 'restartInterval', label: 'Restart interval', kind: 'duration', defaultText: 'PT1S', doc: 'Time (ISO 8601 duration) before a restart after exit.' },
        ],
      },
      { key: 'offlineTTL', label: 'Offline time to live', kind: 'duration', doc: 'Remove the service when the unit stays offline longer than this (ISO 8601).' },
      { key: 'downloadTTL', label: 'Download time to live', kind: 'duration', doc: 'Remove the service when it cannot be downloaded for longer than this (ISO 8601).' },
      {
        key: 'isResourceLimits',
        label: 'Resource limits',
        kind: 'boolean',
        defaultText: 'true',
        doc: '`false` removes resource limits and reservations; allowed only for pre-release versions.',
      },
      { key: 'runner', label: 'Runner', kind: 'enum', options: RUNNERS, defaultText: 'crun', doc: 'Runner for the service instances.' },
      {
        key: 'runners',
        label: 'Runners',
        kind: 'enum-list',
        options: RUNNERS,
        defaultText: '[crun, runc]',
        doc: 'Acceptable runners; `xrun` means a VM/unikernel service.',
      },
      {
        key: 'quotas',
        label: 'Quotas',
        kind: 'section',
        doc: 'Limits for the service. `mem` must be at least 6 MB for container runners (`crun`, `runc`).',
        fields: [
          { key: 'cpu', label: 'CPU quota', kind: 'number', unit: 'DMIPS', min: 0, doc: 'CPU quota.' },
          size('mem', 'Memory limit', 'Memory limit.'),
          size('state', 'State size limit', 'State size limit.'),
          size('storage', 'Storage limit', 'Storage limit.'),
          size('upload_speed', 'Upload speed limit', 'Upload speed limit.'),
          size('download_speed', 'Download speed limit', 'Download speed limit.'),
          size('upload', 'Upload volume limit', 'Upload volume limit.'),
          size('download', 'Download volume limit', 'Download volume limit.'),
          size('temp', 'Temporary storage limit', 'Temporary storage limit.'),
        ],
      },
      {
        key: 'requestedResources',
        label: 'Requested resources',
        kind: 'section',
        doc: 'Resources reserved for the service. `ram` must be at least 6 MB for container runners.',
        fields: [
          { key: 'cpu', label: 'Requested CPU', kind: 'number', unit: 'DMIPS', min: 0, doc: 'Requested CPU.' },
          size('ram', 'Requested RAM', 'Requested RAM.'),
          size('storage', 'Requested storage', 'Requested storage.'),
          size('state', 'Requested state storage', 'Requested state storage.'),
        ],
      },
      {
        key: 'alerts',
        label: 'Alerts',
        kind: 'section',
        doc: 'Resource alerts.',
        fields: [
          alert('ram', 'RAM alert', 'RAM', 'percent'),
          alert('cpu', 'CPU alert', 'CPU', 'percent'),
          alert('storage', 'Storage alert', 'storage', 'percent'),
          alert('upload', 'Upload alert', 'upload', 'bytes'),
          alert('download', 'Download alert', 'download', 'bytes'),
        ],
      },
      { key: 'hostname', label: 'Host name', kind: 'host', doc: 'Host name inside the container.' },
      {
        key: 'exposedPorts',
        label: 'Exposed ports',
        kind: 'string-list',
        doc: 'Ports the service exposes: `9000`, `"8089-8090/tcp"`, `"1515/udp"`.',
      },
      {
        key: 'allowedConnections',
        label: 'Allowed connections',
        kind: 'string-list',
        doc: 'Connections to other services: `"<service-uuid>/<port or range>/<tcp|udp>"`.',
      },
      { key: 'balancingPolicy', label: 'Balancing policy', kind: 'enum', options: BALANCING_POLICIES, defaultText: 'enabled', doc: 'Whether the cloud may balance instances.' },
      {
        key: 'devices',
        label: 'Devices',
        kind: 'object-list',
        doc: 'Host devices the service uses.',
        fields: [
          { key: 'name', label: 'Device name', kind: 'string', required: true, doc: 'Device name (`camera0`, `mic0`, `audio0`, ...).' },
          { key: 'mode', label: 'Access mode', kind: 'string', required: true, doc: 'Access mode: a combination of `r`, `w` and `m`, e.g. `rw` or `rwm`.' },
        ],
      },
      { key: 'resources', label: 'Unit resources', kind: 'string-list', doc: 'Unit resources the service uses (`vis`, `system-dbus`, `bluetooth`, ...).' },
      {
        key: 'permissions',
        label: 'Permissions',
        kind: 'map',
        doc: 'Per functional server, access to functions: `{ vis: { Signal.Doors.*: rw } }`; modes `r`, `w`, `rw`.',
      },
    ],
  },
];

/** The spec of the key at `path` (list indices skipped), or undefined when unknown. */
export function fieldAt(path: KeyPath): FieldSpec | undefined {
  return fieldIn(SERVICE_CONFIG_SCHEMA, path);
}
