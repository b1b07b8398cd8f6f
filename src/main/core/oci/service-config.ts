// The Aos service config (v8 `aosService`) and item config (v9 `aosItemConfig`) the cloud
// generates from `configuration` (oci-output.md §4). The whole mapping is inferred (the
// cloud is closed), so every traced field is marked inferred. Keys come out in the
// canonical v9 order; v8 uses the same order with its own keys in their places.
import type { KeyPath } from '../../../shared/diagnostics';
import { pointer, type ConfigSource } from './source';
import type { Target } from './types';
import { durationAt, integerAt, isPlainObject, numberAt, sizeAt, stringAt } from './values';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type UnitConfig = Record<string, Json>;

/** config.yaml quotas key → unit JSON key and how to read it, in the unit JSON's order. */
const QUOTAS: readonly { from: string; to: string; kind: 'size' | 'number' }[] = [
  { from: 'cpu', to: 'cpuDMIPSLimit', kind: 'number' },
  { from: 'mem', to: 'ramLimit', kind: 'size' },
  { from: 'temp', to: 'tmpLimit', kind: 'size' },
  { from: 'state', to: 'stateLimit', kind: 'size' },
  { from: 'storage', to: 'storageLimit', kind: 'size' },
  { from: 'upload_speed', to: 'uploadSpeed', kind: 'size' },
  { from: 'download_speed', to: 'downloadSpeed', kind: 'size' },
  { from: 'upload', to: 'uploadLimit', kind: 'size' },
  { from: 'download', to: 'downloadLimit', kind: 'size' },
];

const REQUESTED: readonly { key: string; kind: 'size' | 'number' }[] = [
  { key: 'cpu', kind: 'number' },
  { key: 'ram', kind: 'size' },
  { key: 'storage', kind: 'size' },
  { key: 'state', kind: 'size' },
];

/** alertRules order: ram, cpu, partitions (from storage), download, upload. */
const ALERTS: readonly string[] = ['ram', 'cpu', 'storage', 'download', 'upload'];

/** v9 resources carry an access mode; config.yaml has none, so the preview shows the assumption. */
export const V9_RESOURCE_MODE = 'rw';

const C = (...p: (string | number)[]): KeyPath => ['configuration', ...p];

/** Runner names from `runners` (a list) or `runner` (one), with where each came from. */
export function readRunners(src: ConfigSource): { names: string[]; paths: KeyPath[]; path: KeyPath } | undefined {
  const list = src.get(C('runners'));
  const one = src.get(C('runner'));
  if (Array.isArray(list) && list.length) {
    if (one != null && one !== '') {
      src.warn('runner-and-runners', 'Both runner and runners are set; the preview uses runners.', C('runner'), 'info');
    }
    const names: string[] = [];
    const paths: KeyPath[] = [];
    list.forEach((r, i) => {
      if (typeof r === 'string' && r) {
        names.push(r);
        paths.push(C('runners', i));
      }
    });
    return { names, paths, path: C('runners') };
  }
  if (typeof one === 'string' && one) return { names: [one], paths: [C('runner')], path: C('runner') };
  return undefined;
}

export function buildUnitConfig(src: ConfigSource, target: Target, opts: { created?: string } = {}): UnitConfig {
  const root = target === 'v8' ? 'serviceConfig' : 'itemConfig';
  const out: UnitConfig = {};
  const rec = (tokens: (string | number)[], path: KeyPath) => src.record(pointer(root, ...tokens), path, true);

  if (opts.created) out.created = opts.created;
  const author = stringAt(src, ['publisher', 'author']);
  if (author !== undefined) {
    out.author = author;
    rec(['author'], ['publisher', 'author']);
  }
  if (src.get(C('isResourceLimits')) === false) {
    out.skipResourceLimits = true;
    rec(['skipResourceLimits'], C('isResourceLimits'));
  }
  const hostname = stringAt(src, C('hostname'));
  if (hostname !== undefined) {
    out.hostname = hostname;
    rec(['hostname'], C('hostname'));
  }
  const balancing = stringAt(src, C('balancingPolicy'));
  if (balancing !== undefined) {
    out.balancingPolicy = balancing;
    rec(['balancingPolicy'], C('balancingPolicy'));
  }

  const runners = readRunners(src);
  if (runners && runners.names.length) {
    if (target === 'v8') {
      out.runners = runners.names;
      rec(['runners'], runners.path);
      runners.paths.forEach((p, i) => rec(['runners', i], p));
    } else {
      out.runtimes = runners.names.map((codename) => ({ codename }));
      rec(['runtimes'], runners.path);
      runners.paths.forEach((p, i) => {
        rec(['runtimes', i], p);
        rec(['runtimes', i, 'codename'], p);
      });
    }
  }

  const runParameters: Record<string, Json> = {};
  for (const key of ['startInterval', 'startBurst', 'restartInterval'] as const) {
    const path = C('runParameters', key);
    const v = key === 'startBurst' ? integerAt(src, path) : durationAt(src, path);
    if (v === undefined) continue;
    runParameters[key] = v;
    rec(['runParameters', key], path);
  }
  if (Object.keys(runParameters).length) {
    out.runParameters = runParameters;
    rec(['runParameters'], C('runParameters'));
  }

  // sysctl is unit-side only (oci-output.md §4): no v1 config.yaml key sets it (the v1 tool
  // rejects unknown keys, and validate reports configuration.sysctl as one), so a preview of a
  // v1 service never writes it.

  const offlineTTL = durationAt(src, C('offlineTTL'));
  if (offlineTTL !== undefined) {
    out.offlineTTL = offlineTTL;
    rec(['offlineTTL'], C('offlineTTL'));
  }

  const quotas: Record<string, Json> = {};
  for (const q of QUOTAS) {
    const path = C('quotas', q.from);
    const v = q.kind === 'size' ? sizeAt(src, path) : numberAt(src, path);
    if (v === undefined) continue;
    quotas[q.to] = v;
    rec(['quotas', q.to], path);
  }
  if (Object.keys(quotas).length) {
    out.quotas = quotas;
    rec(['quotas'], C('quotas'));
  }

  const requested: Record<string, Json> = {};
  for (const r of REQUESTED) {
    const path = C('requestedResources', r.key);
    const v = r.kind === 'size' ? sizeAt(src, path) : numberAt(src, path);
    if (v === undefined) continue;
    requested[r.key] = v;
    rec(['requestedResources', r.key], path);
  }
  if (Object.keys(requested).length) {
    out.requestedResources = requested;
    rec(['requestedResources'], C('requestedResources'));
  }

  const connections = src.get(C('allowedConnections'));
  if (Array.isArray(connections) && connections.length) {
    const obj: Record<string, Json> = {};
    connections.forEach((c, i) => {
      if (typeof c !== 'string' || !c) return;
      obj[c] = {};
      rec(['allowedConnections', c], C('allowedConnections', i));
    });
    out.allowedConnections = obj;
    rec(['allowedConnections'], C('allowedConnections'));
  }

  const devices = src.get(C('devices'));
  if (Array.isArray(devices) && devices.length) {
    if (target === 'v8') {
      const list: Json[] = [];
      devices.forEach((d, i) => {
        if (!isPlainObject(d) || typeof d.name !== 'string') return;
        const j = list.length;
        list.push({ name: d.name, permissions: typeof d.mode === 'string' ? d.mode : '' });
        rec(['devices', j], C('devices', i));
        rec(['devices', j, 'name'], C('devices', i, 'name'));
        rec(['devices', j, 'permissions'], C('devices', i, 'mode'));
      });
      out.devices = list;
      rec(['devices'], C('devices'));
    }
  }

  const resources = src.get(C('resources'));
  if (Array.isArray(resources) && resources.length) {
    const names = resources.map((r, i) => [r, i] as const).filter(([r]) => typeof r === 'string' && r !== '');
    out.resources = names.map(([r]) => (target === 'v8' ? (r as string) : { name: r as string, mode: V9_RESOURCE_MODE }));
    rec(['resources'], C('resources'));
    names.forEach(([, i], j) => {
      rec(['resources', j], C('resources', i));
      if (target === 'v9') {
        rec(['resources', j, 'name'], C('resources', i));
        rec(['resources', j, 'mode'], C('resources', i));
      }
    });
  }

  const permissions = src.get(C('permissions'));
  if (isPlainObject(permissions) && Object.keys(permissions).length) {
    const perms: Record<string, Json> = {};
    for (const [server, funcs] of Object.entries(permissions)) {
      if (!isPlainObject(funcs)) continue;
      const f: Record<string, Json> = {};
      for (const [name, mode] of Object.entries(funcs)) {
        if (typeof mode !== 'string') continue;
        f[name] = mode;
        rec(['permissions', server, name], C('permissions', server, name));
      }
      perms[server] = f;
      rec(['permissions', server], C('permissions', server));
    }
    out.permissions = perms;
    rec(['permissions'], C('permissions'));
  }

  const alerts = src.get(C('alerts'));
  if (isPlainObject(alerts)) {
    const rules: Record<string, Json> = {};
    for (const kind of ALERTS) {
      if (!isPlainObject(alerts[kind])) continue;
      const rule: Record<string, Json> = {};
      const base: (string | number)[] = kind === 'storage' ? ['alertRules', 'partitions', 0] : ['alertRules', kind];
      if (kind === 'storage') {
        rule.name = 'storage';
        rec([...base, 'name'], C('alerts', kind));
      }
      const minTimeout = durationAt(src, C('alerts', kind, 'minTime'));
      if (minTimeout !== undefined) {
        rule.minTimeout = minTimeout;
        rec([...base, 'minTimeout'], C('alerts', kind, 'minTime'));
      }
      for (const t of ['minThreshold', 'maxThreshold'] as const) {
        const v = numberAt(src, C('alerts', kind, t));
        if (v === undefined) continue;
        rule[t] = v;
        rec([...base, t], C('alerts', kind, t));
      }
      rec(base, C('alerts', kind));
      if (kind === 'storage') {
        rules.partitions = [rule];
        rec(['alertRules', 'partitions'], C('alerts', kind));
      } else rules[kind] = rule;
    }
    if (Object.keys(rules).length) {
      out.alertRules = rules;
      rec(['alertRules'], C('alerts'));
    }
  }
  return out;
}
