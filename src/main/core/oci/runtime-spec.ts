// The OCI runtime spec a unit generates for one instance (oci-output.md §5): runc's example
// spec, then the unit's steps 1–10 in order, with its merge rules. Node parameters the author
// cannot know come in as inputs (types.ts documents their defaults).
import type { KeyPath } from '../../../shared/diagnostics';
import type { ImageConfig } from './image-config';
import type { UnitConfig } from './service-config';
import type { ConfigSource } from './source';
import type { NodeParams, Target } from './types';

export interface Mount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export interface Rlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface Namespace {
  type: string;
  path?: string;
}

export interface RuntimeSpec {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
    rlimits: Rlimit[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: Mount[];
  linux: {
    cgroupsPath?: string;
    sysctl?: Record<string, string>;
    resources: {
      devices: { allow: boolean; access: string }[];
      memory?: { limit: number };
      cpu?: { quota: number; period: number };
      pids?: { limit: number };
    };
    namespaces: Namespace[];
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

export const CPU_PERIOD = 100000;
/** Units never give an instance less than 1 % of one CPU (1000 µs per 100 ms period). */
export const CPU_QUOTA_FLOOR = 1000;

const CAPABILITIES = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

/** `runc spec` (runc 1.2) with terminal false, as the unit starts from it. */
export function baseRuntimeSpec(): RuntimeSpec {
  return {
    ociVersion: '1.2.0',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: ['sh'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: { bounding: [...CAPABILITIES], effective: [...CAPABILITIES], permitted: [...CAPABILITIES] },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'runc',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
    ],
    linux: {
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'cgroup' }],
      maskedPaths: [
        '/proc/acpi',
        '/proc/asound',
        '/proc/kcore',
        '/proc/keys',
        '/proc/latency_stats',
        '/proc/timer_list',
        '/proc/timer_stats',
        '/proc/sched_debug',
        '/sys/firmware',
        '/proc/scsi',
      ],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

// ---- merge rules (§5) ----

export function envName(entry: string): string {
  const i = entry.indexOf('=');
  return i < 0 ? entry : entry.slice(0, i);
}

/** Same name (text before the first `=`): replaced in place; else appended. */
export function mergeEnv(env: string[], entry: string): number {
  const name = envName(entry);
  const i = env.findIndex((e) => envName(e) === name);
  if (i >= 0) {
    env[i] = entry;
    return i;
  }
  env.push(entry);
  return env.length - 1;
}

/** Same destination: replaced in place; else appended. An empty type becomes bind. */
export function mergeMount(mounts: Mount[], mount: Mount): number {
  const m = { ...mount, type: mount.type || 'bind' };
  const i = mounts.findIndex((x) => x.destination === m.destination);
  if (i >= 0) {
    mounts[i] = m;
    return i;
  }
  mounts.push(m);
  return mounts.length - 1;
}

/** Same type: replaced in place; else appended. */
export function mergeRlimit(rlimits: Rlimit[], rlimit: Rlimit): number {
  const i = rlimits.findIndex((r) => r.type === rlimit.type);
  if (i >= 0) {
    rlimits[i] = rlimit;
    return i;
  }
  rlimits.push(rlimit);
  return rlimits.length - 1;
}

/** quota = max(1000, cpuDMIPSLimit × 100000 × numCPU ÷ maxDMIPS), integer division as the unit does. */
export function cpuQuota(cpuDMIPSLimit: number, cpuCount: number, maxDMIPS: number): number {
  if (!(maxDMIPS > 0)) return CPU_QUOTA_FLOOR;
  const raw = Math.floor((cpuDMIPSLimit * CPU_PERIOD * cpuCount) / maxDMIPS);
  return Math.max(CPU_QUOTA_FLOOR, raw);
}

export function cgroupsPath(target: Target, instanceId: string): string {
  return target === 'v8'
    ? `/system.slice/system-aos\\x2dservice.slice/${instanceId}`
    : `/system.slice/system-aos.slice/system-aos-service.slice/${instanceId}`;
}

/** Node paths for state and storage differ per unit; these are illustrative and labelled so. */
export function stateSource(instanceId: string): string {
  return `/var/aos/storages/${instanceId}/state.dat`;
}
export function storageSource(instanceId: string): string {
  return `/var/aos/storages/${instanceId}/storage`;
}

export interface RuntimeSpecInput {
  target: Target;
  image: ImageConfig;
  unit: UnitConfig;
  node: NodeParams;
  serviceId: string;
}

const C = (...p: (string | number)[]): KeyPath => ['configuration', ...p];

/**
 * Builds the spec, and records in `src` (when given) which config.yaml line each
 * config-derived field of the spec comes from, under `/runtimeSpec/<target>/...`.
 */
export function buildRuntimeSpec(input: RuntimeSpecInput, src?: ConfigSource): RuntimeSpec {
  const { target, image, unit, node } = input;
  const spec = baseRuntimeSpec();
  const root = `/runtimeSpec/${target}`;
  const envSource = new Map<string, KeyPath>();
  const mountSource = new Map<string, KeyPath>();
  const rlimitSource = new Map<string, KeyPath>();
  const rec = (ptr: string, path: KeyPath) => src?.record(`${root}${ptr}`, path, true);

  // 1. user
  spec.process.user = { uid: node.uid, gid: node.gid };
  // 2. cgroups
  spec.linux.cgroupsPath = cgroupsPath(target, node.instanceId);
  // 3. root
  spec.root = { path: `/run/aos/runtime/${node.instanceId}/rootfs`, readonly: false };
  // 4. host files every service needs to resolve names and check certificates
  for (const p of ['/etc/nsswitch.conf', '/etc/ssl']) {
    mergeMount(spec.mounts, { destination: p, type: 'bind', source: p, options: ['bind', 'ro'] });
  }
  // 5. network namespace prepared by the unit's network manager
  const net = spec.linux.namespaces.find((n) => n.type === 'network');
  if (net) net.path = `/run/netns/${node.instanceId}`;
  // 6. instance identity
  mergeEnv(spec.process.env, `${target === 'v8' ? 'AOS_SERVICE_ID' : 'AOS_ITEM_ID'}=${input.serviceId}`);
  mergeEnv(spec.process.env, `AOS_SUBJECT_ID=${node.subjectId}`);
  mergeEnv(spec.process.env, `AOS_INSTANCE_INDEX=${node.instanceIndex}`);
  mergeEnv(spec.process.env, `AOS_INSTANCE_ID=${node.instanceId}`);
  // 7. image config
  const cfg = image.config;
  spec.process.args = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
  spec.process.cwd = cfg.WorkingDir || '/';
  (cfg.Env ?? []).forEach((e, i) => {
    mergeEnv(spec.process.env, e);
    envSource.set(envName(e), C('env', i));
  });
  // 8. item config
  if (typeof unit.hostname === 'string') spec.hostname = unit.hostname;
  // Unit-side only: an item config the cloud sends may carry sysctl; a v1 config.yaml never does.
  if (unit.sysctl && typeof unit.sysctl === 'object') spec.linux.sysctl = { ...(unit.sysctl as Record<string, string>) };
  const quotas = (unit.quotas ?? {}) as Record<string, number>;
  if (typeof quotas.cpuDMIPSLimit === 'number') {
    spec.linux.resources.cpu = { quota: cpuQuota(quotas.cpuDMIPSLimit, node.cpuCount, node.maxDMIPS), period: CPU_PERIOD };
  }
  if (typeof quotas.ramLimit === 'number') spec.linux.resources.memory = { limit: quotas.ramLimit };
  if (typeof quotas.pidsLimit === 'number') {
    spec.linux.resources.pids = { limit: quotas.pidsLimit };
    mergeRlimit(spec.process.rlimits, { type: 'RLIMIT_NPROC', hard: quotas.pidsLimit, soft: quotas.pidsLimit });
  }
  if (typeof quotas.noFileLimit === 'number') {
    mergeRlimit(spec.process.rlimits, { type: 'RLIMIT_NOFILE', hard: quotas.noFileLimit, soft: quotas.noFileLimit });
  }
  // /tmp is always the instance's writable scratch space; its size is capped only by tmpLimit.
  const tmpOptions = ['nosuid', 'strictatime', 'mode=1777'];
  if (typeof quotas.tmpLimit === 'number' && quotas.tmpLimit > 0) tmpOptions.push(`size=${quotas.tmpLimit}`);
  mergeMount(spec.mounts, { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: tmpOptions });
  if (typeof quotas.tmpLimit === 'number') mountSource.set('/tmp', C('quotas', 'temp'));
  if (unit.permissions && typeof unit.permissions === 'object') {
    mergeEnv(spec.process.env, `AOS_SECRET=${node.secret}`);
    envSource.set('AOS_SECRET', C('permissions'));
  }
  // 9. state and storage
  if ((quotas.stateLimit ?? 0) > 0) {
    mergeMount(spec.mounts, { destination: '/state.dat', type: 'bind', source: stateSource(node.instanceId), options: ['bind', 'rw'] });
    mountSource.set('/state.dat', C('quotas', 'state'));
  }
  if ((quotas.storageLimit ?? 0) > 0) {
    mergeMount(spec.mounts, { destination: '/storage', type: 'bind', source: storageSource(node.instanceId), options: ['bind', 'rw'] });
    mountSource.set('/storage', C('quotas', 'storage'));
  }
  // 10. cloud overrides
  for (const e of node.overrideEnv) {
    mergeEnv(spec.process.env, e);
    envSource.delete(envName(e));
  }

  if (src) {
    if (cfg.Entrypoint || cfg.Cmd) {
      rec('/process/args', C('cmd'));
      const fromList = Array.isArray(src.get(C('cmd')));
      spec.process.args.forEach((_, i) => rec(`/process/args/${i}`, fromList ? C('cmd', i) : C('cmd')));
    }
    if (cfg.WorkingDir) rec('/process/cwd', C('workingDir'));
    spec.process.env.forEach((e, i) => {
      const from = envSource.get(envName(e));
      if (from) rec(`/process/env/${i}`, from);
    });
    if (typeof unit.hostname === 'string') rec('/hostname', C('hostname'));
    if (spec.linux.resources.cpu) rec('/linux/resources/cpu/quota', C('quotas', 'cpu'));
    if (spec.linux.resources.memory) rec('/linux/resources/memory/limit', C('quotas', 'mem'));
    spec.mounts.forEach((m, i) => {
      const from = mountSource.get(m.destination);
      if (from) rec(`/mounts/${i}`, from);
    });
    spec.process.rlimits.forEach((r, i) => {
      const from = rlimitSource.get(r.type);
      if (from) rec(`/process/rlimits/${i}`, from);
    });
  }
  return spec;
}
