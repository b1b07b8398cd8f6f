// The OCI image config the cloud generates (oci-output.md §2–3): platform, the process
// fields a unit reads (Entrypoint, Cmd, WorkingDir, Env, ExposedPorts) and rootfs.diff_ids.
// Key order is fixed here because the blob's digest depends on it.
import { splitCommand, toEntrypointCmd } from './command';
import { mapArchitecture } from './platform';
import { unresolvedText } from './required-layers';
import { pointer, type ConfigSource } from './source';
import type { RequiredLayer, RootfsLayerInfo } from './types';
import { stringAt } from './values';

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  variant?: string;
  os: string;
  config: {
    ExposedPorts?: Record<string, Record<string, never>>;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
}

/** Stand-in digest while the rootfs layer has not been computed yet (it is built in the background). */
export const PENDING_DIGEST = `sha256:${'0'.repeat(64)}`;

const ROOT = '/imageConfig';

/** Start command as tokens, or undefined when absent or not splittable (then warned). */
export function commandTokens(src: ConfigSource): { tokens: string[]; fromList: boolean } | undefined {
  const cmd = src.get(['configuration', 'cmd']);
  if (cmd == null || cmd === '') return undefined;
  if (Array.isArray(cmd)) {
    if (!cmd.every((t) => typeof t === 'string' || typeof t === 'number')) {
      src.warn('invalid-cmd', 'cmd must be a string or a list of strings; it is left out of the preview.', ['configuration', 'cmd']);
      return undefined;
    }
    return { tokens: cmd.map(String), fromList: true };
  }
  if (typeof cmd !== 'string') {
    src.warn('invalid-cmd', 'cmd must be a string or a list of strings; it is left out of the preview.', ['configuration', 'cmd']);
    return undefined;
  }
  const split = splitCommand(cmd);
  if (!split.ok) {
    src.warn('invalid-cmd', `cmd cannot be split like a shell would: ${split.error}. It is left out of the preview.`, ['configuration', 'cmd']);
    return undefined;
  }
  return { tokens: split.tokens, fromList: false };
}

/** ExposedPorts key as the unit reads it: `port[/proto]`, protocol lower-cased; tcp is the unit's default. */
export function exposedPortKey(item: unknown): string | undefined {
  if (typeof item === 'number' && Number.isInteger(item)) return String(item);
  if (typeof item !== 'string') return undefined;
  const m = /^\s*(\d+(?:-\d+)?)(?:\/(tcp|udp))?\s*$/i.exec(item);
  if (!m) return undefined;
  return m[2] ? `${m[1]}/${m[2].toLowerCase()}` : m[1];
}

export function buildImageConfig(
  src: ConfigSource,
  rootfs: RootfsLayerInfo | undefined,
  layers: readonly RequiredLayer[],
  opts: { created?: string } = {},
): ImageConfig {
  const out: Partial<ImageConfig> = {};
  if (opts.created) out.created = opts.created;

  const author = stringAt(src, ['publisher', 'author']);
  if (author !== undefined) {
    out.author = author;
    src.record(`${ROOT}/author`, ['publisher', 'author'], true);
  }

  const arch = stringAt(src, ['build', 'arch']);
  if (arch !== undefined) {
    const mapped = mapArchitecture(arch);
    out.architecture = mapped.architecture;
    src.record(`${ROOT}/architecture`, ['build', 'arch'], true);
    if (mapped.variant) {
      out.variant = mapped.variant;
      src.record(`${ROOT}/variant`, ['build', 'arch'], true);
    }
    if (!mapped.supported) {
      src.warn(
        'unsupported-architecture',
        `Architecture ${arch} (OCI ${mapped.architecture}) is not one the platform supports (amd64, arm64, arm): no unit will select this image.`,
        ['build', 'arch'],
      );
    }
  } else {
    // The unit refuses a manifest whose architecture is not its own: say so rather than guess.
    out.architecture = 'amd64';
    src.record(`${ROOT}/architecture`, ['build', 'arch'], true);
    src.warn('missing-architecture', 'build.arch is not set; the preview assumes x86 (amd64). v9 units run only images of their own architecture.', ['build', 'arch']);
  }

  const os = stringAt(src, ['build', 'os']);
  out.os = os === undefined ? 'linux' : os.toLowerCase() === 'linux' ? 'linux' : os;
  src.record(`${ROOT}/os`, ['build', 'os'], true);
  if (os !== undefined && os.toLowerCase() !== 'linux') {
    src.warn('unsupported-os', `os ${os}: the platform runs Linux services only (v8 units refuse anything but linux).`, ['build', 'os']);
  }

  const config: ImageConfig['config'] = {};
  const ports = src.get(['configuration', 'exposedPorts']);
  if (Array.isArray(ports) && ports.length) {
    const exposed: Record<string, Record<string, never>> = {};
    ports.forEach((p, i) => {
      const key = exposedPortKey(p);
      const path = ['configuration', 'exposedPorts', i];
      if (key === undefined) {
        src.warn('invalid-port', `${String(p)} is not a port, a range or port/protocol; it is left out of the preview.`, path);
        return;
      }
      exposed[key] = {};
      src.record(pointer('imageConfig', 'config', 'ExposedPorts', key), path, true);
    });
    if (Object.keys(exposed).length) {
      config.ExposedPorts = exposed;
      src.record(`${ROOT}/config/ExposedPorts`, ['configuration', 'exposedPorts'], true);
    }
  }

  const env = src.get(['configuration', 'env']);
  if (Array.isArray(env) && env.length) {
    config.Env = [];
    env.forEach((e, i) => {
      if (typeof e !== 'string') {
        src.warn('invalid-env', 'An env entry must be NAME=value text; it is left out of the preview.', ['configuration', 'env', i]);
        return;
      }
      src.record(`${ROOT}/config/Env/${config.Env!.length}`, ['configuration', 'env', i], true);
      config.Env!.push(e);
    });
    src.record(`${ROOT}/config/Env`, ['configuration', 'env'], true);
  }

  const command = commandTokens(src);
  if (command) {
    const { entrypoint, cmd } = toEntrypointCmd(command.tokens);
    config.Entrypoint = entrypoint;
    config.Cmd = cmd;
    const tokenPath = (i: number) => (command.fromList ? ['configuration', 'cmd', i] : ['configuration', 'cmd']);
    src.record(`${ROOT}/config/Entrypoint`, ['configuration', 'cmd'], true);
    src.record(`${ROOT}/config/Cmd`, ['configuration', 'cmd'], true);
    entrypoint.forEach((_, i) => src.record(`${ROOT}/config/Entrypoint/${i}`, tokenPath(i), true));
    cmd.forEach((_, i) => src.record(`${ROOT}/config/Cmd/${i}`, tokenPath(i + 1), true));
  }

  const workingDir = stringAt(src, ['configuration', 'workingDir']);
  if (workingDir !== undefined) {
    config.WorkingDir = workingDir;
    src.record(`${ROOT}/config/WorkingDir`, ['configuration', 'workingDir'], true);
  }
  out.config = config;

  // diff_ids[0] is the topmost layer in Aos (layers.md §2): the service rootfs, then the
  // Aos layers in manifest order. This is the reverse of standard OCI, on purpose.
  const diffIds = [rootfs?.diffId ?? PENDING_DIGEST];
  src.record(`${ROOT}/rootfs/diff_ids/0`, ['build', 'source_folder'], false);
  for (const layer of layers) {
    src.record(`${ROOT}/rootfs/diff_ids/${diffIds.length}`, ['configuration', 'layers', layer.index], true);
    diffIds.push(layer.unresolved ? unresolvedText(layer) : layer.diffId);
  }
  out.rootfs = { type: 'layers', diff_ids: diffIds };
  return out as ImageConfig;
}
