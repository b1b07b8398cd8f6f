import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildPreview, mapArchitecture, pickLayerVersion, resolveLayers, sha256, serializeJson, type LayerCatalogue } from '../../../src/main/core/oci';
import { checkServiceConfig, parseServiceConfig } from '../../../src/shared/service-config';

const FULL = readFileSync(path.join(__dirname, 'fixtures', 'full-config.yaml'), 'utf8');
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

const CATALOGUE: LayerCatalogue = {
  'aos-pylibs-layer': [
    { version: '1.0.0', digest: digest(1), size: 100, diffId: digest(11) },
    { version: '1.4.2', digest: digest(2), size: 200, diffId: digest(12), tarSize: 1000 },
    { version: '2.0.0-rc.1', digest: digest(3), size: 300, diffId: digest(13) },
    { version: '2.0.0', digest: digest(4), size: 400, diffId: digest(14) },
  ],
};

describe('full config', () => {
  const check = checkServiceConfig(FULL);
  const p = buildPreview(check.parsed, { layerCatalogue: CATALOGUE, rootfs: { digest: digest(9), size: 42, diffId: digest(99) } });

  it('the fixture itself is a valid config', () => {
    expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('image config: platform, Entrypoint/Cmd split with quotes, ports, env', () => {
    expect(p.imageConfig.architecture).toBe('arm64'); // aarch64 → arm64
    expect(p.imageConfig.os).toBe('linux');
    expect(p.imageConfig.config.Entrypoint).toEqual(['python3']);
    expect(p.imageConfig.config.Cmd).toEqual(['-u', '/opt/my app/main.py', '--name', 'a b', '--flag']);
    expect(p.imageConfig.config.WorkingDir).toBe('/opt/my app');
    expect(Object.keys(p.imageConfig.config.ExposedPorts!).sort()).toEqual(['1515/udp', '8089-8090/tcp', '9000']);
    expect(p.imageConfig.config.Env).toEqual(['PATH=/opt/bin:/usr/bin:/bin', 'MY_VAR=hello=world']);
  });

  it('v9 item config keys come in the canonical order', () => {
    expect(Object.keys(p.itemConfig)).toEqual([
      'author',
      'skipResourceLimits',
      'hostname',
      'balancingPolicy',
      'runtimes',
      'runParameters',
      'offlineTTL',
      'quotas',
      'requestedResources',
      'allowedConnections',
      'resources',
      'permissions',
      'alertRules',
    ]);
  });

  it('sizes in bytes (decimal k/m/g, ki = 1024), durations as ISO 8601', () => {
    expect(p.itemConfig.quotas).toEqual({
      cpuDMIPSLimit: 5000,
      ramLimit: 200_000_000,
      tmpLimit: 32_000,
      stateLimit: 64_000,
      storageLimit: 1024,
      uploadSpeed: 32_000,
      downloadSpeed: 64_000,
      uploadLimit: 1_000_000_000,
      downloadLimit: 2_000_000_000,
    });
    expect(p.itemConfig.requestedResources).toEqual({ cpu: 1000, ram: 8_000_000, storage: 64_000, state: 32_000 });
    expect(p.itemConfig.runParameters).toEqual({ startInterval: 'PT10S', startBurst: 3, restartInterval: 'PT1S' });
    expect(p.itemConfig.offlineTTL).toBe('PT1M');
  });

  it('v8 vs v9: runners vs runtimes, resources shape, devices only in v8', () => {
    expect(p.serviceConfig.runners).toEqual(['crun', 'runc']);
    expect(p.itemConfig.runtimes).toEqual([{ codename: 'crun' }, { codename: 'runc' }]);
    expect(p.serviceConfig.runtimes).toBeUndefined();
    expect(p.itemConfig.runners).toBeUndefined();
    expect(p.serviceConfig.resources).toEqual(['system-dbus', 'bluetooth']);
    expect(p.itemConfig.resources).toEqual([
      { name: 'system-dbus', mode: 'rw' },
      { name: 'bluetooth', mode: 'rw' },
    ]);
    expect(p.serviceConfig.devices).toEqual([{ name: 'camera0', permissions: 'rw' }]);
    expect(p.itemConfig.devices).toBeUndefined();
  });

  it('alerts → alertRules with storage as a partition; connections as object keys; skipResourceLimits', () => {
    const rules = p.itemConfig.alertRules as Record<string, unknown>;
    expect(Object.keys(rules)).toEqual(['ram', 'cpu', 'partitions', 'download', 'upload']);
    expect(rules.partitions).toEqual([{ name: 'storage', minTimeout: 'PT10S', minThreshold: 10, maxThreshold: 90 }]);
    expect(rules.ram).toEqual({ minTimeout: 'PT5S', minThreshold: 10, maxThreshold: 150 });
    expect(p.itemConfig.allowedConnections).toEqual({
      '9931560c-be75-4f60-9abf-08297d905332/8087-8088/tcp': {},
      '9931560c-be75-4f60-9abf-08297d905332/1515/udp': {},
    });
    expect(p.itemConfig.skipResourceLimits).toBe(true);
  });

  it('cloud-side keys (instances, state, downloadTTL) are not in the unit JSON', () => {
    const json = JSON.stringify([p.serviceConfig, p.itemConfig, p.imageConfig]);
    expect(json).not.toMatch(/minInstances|priority|downloadTTL|"state"\s*:\s*\{|filename/);
  });

  it('layers: highest version in range (pre-release by precedence), after the rootfs, in config order', () => {
    // 1.0.0 ≤ v < 2.0.0 → 2.0.0-rc.1 (it precedes 2.0.0), not 2.0.0
    expect(p.layers[0]).toMatchObject({ unresolved: false, uid: 'aos-pylibs-layer', version: '2.0.0-rc.1', digest: digest(3) });
    expect(p.layers[1]).toMatchObject({ unresolved: true, uid: 'aos-extra-layer', rangeText: '3.0.0 ≤ v < 4.0.0' });
    expect(p.manifest.v9.layers.map((l) => ('digest' in l ? l.digest : l.text))).toEqual([digest(9), digest(3), 'unresolved: aos-extra-layer 3.0.0 ≤ v < 4.0.0']);
    expect(p.manifest.v9.layers[1]).toMatchObject({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 300 });
    // v8 names Aos layers by the uncompressed tar's digest with the Aos media type
    expect(p.manifest.v8.layers[1]).toEqual({ mediaType: 'application/vnd.aos.image.layer.v1.tar', digest: digest(13), size: 300 });
    expect(p.imageConfig.rootfs.diff_ids).toEqual([digest(99), digest(13), 'unresolved: aos-extra-layer 3.0.0 ≤ v < 4.0.0']);
    expect(p.overlay.map((o) => o.kind)).toEqual(['mount-points', 'service-rootfs', 'layer', 'layer', 'host-whiteouts', 'host-root']);
  });

  it('manifests point at the JSON blobs by their sha256', () => {
    expect(p.manifest.v9.config.digest).toBe(sha256(serializeJson(p.imageConfig)));
    expect(p.manifest.v9.config.size).toBe(serializeJson(p.imageConfig).length);
    expect(p.manifest.v9.aosItemConfig.digest).toBe(sha256(serializeJson(p.itemConfig)));
    expect(p.manifest.v8.aosService.digest).toBe(sha256(serializeJson(p.serviceConfig)));
    expect(p.manifest.v8.aosService.mediaType).toBe('application/vnd.aos.service.config.v1+json');
    expect(p.manifest.v9.aosItemConfig.mediaType).toBe('application/vnd.aos.item.config.v1+json');
    expect(p.index.manifests[0]).toMatchObject({
      digest: sha256(serializeJson(p.manifest.v9)),
      platform: { architecture: 'arm64', os: 'linux' },
      annotations: { 'org.opencontainers.image.ref.name': '1.2.0-rc.1' },
    });
  });

  it('traces fields to their config.yaml lines and marks the inferred mapping', () => {
    expect(p.trace['/imageConfig/config/Entrypoint/0']).toEqual({
      path: 'configuration.cmd',
      line: lineOf(FULL, '    cmd:'),
      column: 10,
      inferred: true,
      origin: 'config',
    });
    expect(p.trace['/itemConfig/quotas/ramLimit']).toMatchObject({ path: 'configuration.quotas.mem', line: lineOf(FULL, 'mem: 200MB'), inferred: true });
    expect(p.trace['/serviceConfig/quotas/ramLimit'].line).toBe(lineOf(FULL, 'mem: 200MB'));
    expect(p.trace['/imageConfig/architecture']).toMatchObject({ path: 'build.arch', line: lineOf(FULL, 'arch: aarch64'), inferred: true });
    expect(p.trace['/itemConfig/runtimes/1/codename']).toMatchObject({ path: 'configuration.runners[1]', line: lineOf(FULL, '- runc') });
    expect(p.trace['/itemConfig/alertRules/partitions/0/minTimeout'].line).toBe(lineOf(FULL, 'minTime: PT10S'));
    expect(p.trace['/manifest/v9/layers/1']).toMatchObject({ path: 'configuration.layers[0]', line: lineOf(FULL, 'uid: aos-pylibs-layer') });
    // The rootfs comes from the source folder, not from the inferred mapping.
    expect(p.trace['/manifest/v9/layers/0']).toMatchObject({ path: 'build.source_folder', inferred: false, origin: 'default' });
    // Every field of the unit JSON is traced.
    const walk = (v: unknown, ptr: string, out: string[]) => {
      out.push(ptr);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, `${ptr}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
      return out;
    };
    const untraced = [...walk(p.itemConfig, '/itemConfig', []).slice(1), ...walk(p.serviceConfig, '/serviceConfig', []).slice(1), ...walk(p.imageConfig.config, '/imageConfig/config', []).slice(1)].filter(
      (ptr) => !p.trace[ptr],
    );
    expect(untraced).toEqual([]);
    expect(Object.values(p.trace).every((t) => t.line > 0)).toBe(true);
  });
});

describe('layer resolution', () => {
  const versions = CATALOGUE['aos-pylibs-layer'];
  it('min included, max excluded, exact when equal, any version for a bare uid', () => {
    expect(pickLayerVersion(versions, '1.0.0', '1.4.2')?.version).toBe('1.0.0');
    expect(pickLayerVersion(versions, '1.4.2', '1.4.2')?.version).toBe('1.4.2');
    expect(pickLayerVersion(versions, '2.0.0', '3.0.0')?.version).toBe('2.0.0');
    expect(pickLayerVersion(versions)?.version).toBe('2.0.0');
    expect(pickLayerVersion(versions, '3.0.0', '4.0.0')).toBeUndefined();
  });

  it('an unknown uid stays unresolved with its range in words', () => {
    const [l] = resolveLayers([{ uid: 'nope', minVersion: '1.0.0', maxVersion: '2.0.0', index: 0 }], CATALOGUE);
    expect(l).toEqual({ unresolved: true, uid: 'nope', rangeText: '1.0.0 ≤ v < 2.0.0', known: [], index: 0 });
  });
});

describe('warnings', () => {
  const cfg = (build: string, configuration: string) =>
    buildPreview(parseServiceConfig(`build:\n${build}publish:\n    url: aoscloud.io\nconfiguration:\n${configuration}`));

  it('architecture mapping and unsupported architectures', () => {
    expect(mapArchitecture('x86')).toMatchObject({ architecture: 'amd64', inferred: true, supported: true });
    expect(mapArchitecture('aarch64')).toMatchObject({ architecture: 'arm64', inferred: true, supported: true });
    expect(mapArchitecture('arm64')).toMatchObject({ architecture: 'arm64', inferred: false });
    expect(mapArchitecture('armv7')).toMatchObject({ architecture: 'arm', variant: 'v7', supported: true });
    const p = cfg('    os: linux\n    arch: riscv64\n', '    cmd: a\n');
    const w = p.warnings.find((x) => x.code === 'unsupported-architecture');
    expect(w).toMatchObject({ severity: 'warning', path: 'build.arch', line: 3 });
  });

  it('legacy *Limit keys, ignored image keys and non-Linux os', () => {
    const p = cfg('    os: windows\n    arch: x86\n', '    cmd: a\n    user: root\n    stopSignal: SIGTERM\n    volumes: [/data]\n    quotas:\n        cpuLimit: 50\n        mem: 8MB\n');
    const codes = p.warnings.map((w) => `${w.code}@${w.line}`);
    expect(codes).toEqual(expect.arrayContaining(['unsupported-os@2', 'ignored-user@8', 'ignored-stopsignal@9', 'ignored-volumes@10', 'legacy-key@12']));
    expect(p.warnings.find((w) => w.code === 'legacy-key')?.message).toMatch(/quotas\.cpu/);
    expect(p.itemConfig.quotas).toEqual({ ramLimit: 8_000_000 });
  });

  it('whiteouts in the rootfs, given its file list', () => {
    const p = buildPreview(parseServiceConfig('configuration:\n    cmd: a\n'), { files: ['usr/bin/a', 'etc/.wh.hosts', 'opt/.wh..wh..opq'] });
    const w = p.warnings.filter((x) => x.code === 'whiteout-in-rootfs');
    expect(w.map((x) => x.file)).toEqual(['etc/.wh.hosts', 'opt/.wh..wh..opq']);
  });

  it('a config that does not parse still gives a preview and says why', () => {
    const p = buildPreview(parseServiceConfig('configuration: [\n'));
    expect(p.warnings[0].code).toBe('config-not-parsed');
    expect(p.imageConfig.os).toBe('linux');
  });
});
