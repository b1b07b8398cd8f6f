// Warnings for what a config relies on that the platform ignores or does not support
// (oci-output.md §3 "Deviations"): keys the image config cannot carry to a unit, legacy
// `*Limit` keys written in config.yaml, whiteouts in a service rootfs, v8-only sections.
import type { KeyPath } from '../../../shared/diagnostics';
import type { ConfigSource } from './source';
import type { PreviewWarning } from './types';
import { isPlainObject } from './values';

/** Image config / Docker keys a unit ignores, by lower-cased config.yaml key. */
const IGNORED_IMAGE_KEYS: Record<string, string> = {
  user: 'User is ignored by units: the unit runs every instance as the uid it allocates.',
  volumes: 'Volumes are ignored by units: writable places are only /tmp, /state.dat, /storage and resource mounts.',
  stopsignal: 'StopSignal is not supported: units stop instances with their own signal.',
  labels: 'Image labels are ignored by units (instance labels belong under instances.labels).',
  entrypoint: 'There is no separate entrypoint in config.yaml: the first token of cmd becomes the Entrypoint.',
  apparmorprofile: 'apparmorProfile is not supported by units.',
  selinuxlabel: 'selinuxLabel is not supported by units.',
  consolesize: 'consoleSize is always false on units.',
};

/** The unit JSON's names, sometimes written in config.yaml by people who read the unit docs. */
const LEGACY_LIMIT = /limit$/i;
const LEGACY_QUOTA_HINT: Record<string, string> = {
  cpulimit: 'cpu',
  cpudmipslimit: 'cpu',
  ramlimit: 'mem',
  memlimit: 'mem',
  memorylimit: 'mem',
  statelimit: 'state',
  storagelimit: 'storage',
  tmplimit: 'temp',
  templimit: 'temp',
  uploadlimit: 'upload',
  downloadlimit: 'download',
  uploadspeed: 'upload_speed',
  downloadspeed: 'download_speed',
};

export function checkDeviations(src: ConfigSource): void {
  const conf = src.get(['configuration']);
  if (!isPlainObject(conf)) return;
  for (const key of Object.keys(conf)) {
    const lower = key.toLowerCase();
    const path: KeyPath = ['configuration', key];
    if (IGNORED_IMAGE_KEYS[lower]) src.warn(`ignored-${lower}`, IGNORED_IMAGE_KEYS[lower], path);
    else if (key !== 'isResourceLimits' && (LEGACY_LIMIT.test(key) || LEGACY_QUOTA_HINT[lower])) legacy(src, path, key);
  }
  const quotas = conf.quotas;
  if (isPlainObject(quotas)) {
    for (const key of Object.keys(quotas)) {
      if (LEGACY_LIMIT.test(key) || LEGACY_QUOTA_HINT[key.toLowerCase()]) legacy(src, ['configuration', 'quotas', key], key);
    }
  }

  const runners = [conf.runner, ...(Array.isArray(conf.runners) ? conf.runners : [])];
  if (runners.includes('xrun') || runners.includes('runx')) {
    src.warn(
      'vm-runner',
      'runner xrun/runx runs the service as a VM or unikernel: the container runtime spec and overlay shown here describe what the unit hands to that runner.',
      conf.runners !== undefined ? ['configuration', 'runners'] : ['configuration', 'runner'],
      'info',
    );
  }
  if (Array.isArray(conf.devices) && conf.devices.length) {
    src.warn('devices-v8-only', 'devices are carried only by v8 service configs; a v9 item config has no devices (v9 units give devices through node resources).', ['configuration', 'devices'], 'info');
  }
  if (isPlainObject(quotas) && (quotas.upload_speed != null || quotas.download_speed != null)) {
    const key = quotas.upload_speed != null ? 'upload_speed' : 'download_speed';
    src.warn(
      'speed-unit-inferred',
      'Speeds are converted like sizes (32Kb → 32000) while units read uploadSpeed/downloadSpeed in kbit/s: how the cloud converts them is not documented.',
      ['configuration', 'quotas', key],
      'info',
    );
  }
  if (conf.cmd != null && conf.cmd !== '') {
    src.warn(
      'entrypoint-used',
      "The platform's docs say Entrypoint is ignored; unit code runs Entrypoint followed by Cmd, which is what the preview shows.",
      ['configuration', 'cmd'],
      'info',
    );
  }
}

function legacy(src: ConfigSource, path: KeyPath, key: string): void {
  const hint = LEGACY_QUOTA_HINT[key.toLowerCase()];
  src.warn(
    'legacy-key',
    `${key} is a unit JSON name, not a config.yaml key: the cloud ignores it${hint ? `; write quotas.${hint} instead` : ''}.`,
    path,
  );
}

/** Whiteout entries (`.wh.<name>`, `.wh..wh..opq`) among the rootfs's files (relative paths). */
export function whiteoutWarnings(files: readonly string[]): PreviewWarning[] {
  const out: PreviewWarning[] = [];
  for (const file of files) {
    const base = file.split('/').pop() ?? '';
    if (!base.startsWith('.wh.')) continue;
    out.push({
      code: 'whiteout-in-rootfs',
      severity: 'warning',
      message:
        base === '.wh..wh..opq'
          ? `${file} is an opaque-directory whiteout: whiteouts are not supported in a service rootfs.`
          : `${file} is a whiteout: whiteouts are not supported in a service rootfs (it would hide ${base.slice(4)} from the layers below).`,
      path: '',
      line: 0,
      column: 0,
      file,
    });
  }
  return out;
}
