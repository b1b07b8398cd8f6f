import {
  baseRuntimeSpec,
  buildPreview,
  cgroupsPath,
  cpuQuota,
  mergeEnv,
  mergeMount,
  mergeRlimit,
  CPU_QUOTA_FLOOR,
} from '../../../src/main/core/oci';
import { parseServiceConfig } from '../../../src/shared/service-config';

const config = (configuration: string) =>
  parseServiceConfig(`build:\n    os: linux\n    arch: x86\n    sign_pkcs12: a.p12\npublish:\n    url: aoscloud.io\n    version: "1.0.0"\nconfiguration:\n${configuration}`);

describe('CPU quota', () => {
  it('is max(1000, floor(cpuDMIPSLimit × 100000 × numCPU / maxDMIPS))', () => {
    // floor: 50 DMIPS of a 10000-DMIPS single-CPU node would be 500 µs; the unit gives 1000.
    expect(cpuQuota(50, 1, 10000)).toBe(CPU_QUOTA_FLOOR);
    expect(cpuQuota(100, 1, 10000)).toBe(1000); // exactly the floor
    // above the floor, with integer division: 5000 × 100000 × 4 / 30000 = 66666.67 → 66666
    expect(cpuQuota(5000, 4, 30000)).toBe(66666);
    expect(cpuQuota(10000, 2, 10000)).toBe(200000);
  });

  it('reaches the spec from quotas.cpu and the node parameters', () => {
    const low = buildPreview(config('    cmd: a\n    quotas:\n        cpu: 50\n'), { node: { maxDMIPS: 10000, cpuCount: 1 } });
    expect(low.runtimeSpec.v9.linux.resources.cpu).toEqual({ quota: 1000, period: 100000 });
    const high = buildPreview(config('    cmd: a\n    quotas:\n        cpu: 5000\n'), { node: { maxDMIPS: 30000, cpuCount: 4 } });
    expect(high.runtimeSpec.v8.linux.resources.cpu).toEqual({ quota: 66666, period: 100000 });
    expect(high.trace['/runtimeSpec/v9/linux/resources/cpu/quota']).toMatchObject({ path: 'configuration.quotas.cpu', line: 11 });
  });

  it('is absent without quotas.cpu', () => {
    expect(buildPreview(config('    cmd: a\n')).runtimeSpec.v9.linux.resources.cpu).toBeUndefined();
  });
});

describe('merge rules', () => {
  it('env: same name (before the first =) is replaced in place, else appended', () => {
    const env = ['PATH=/bin', 'TERM=xterm'];
    expect(mergeEnv(env, 'A=1=2')).toBe(2);
    expect(mergeEnv(env, 'PATH=/opt/bin')).toBe(0);
    expect(mergeEnv(env, 'A=3')).toBe(2);
    expect(env).toEqual(['PATH=/opt/bin', 'TERM=xterm', 'A=3']);
  });

  it('mounts: same destination replaced in place, else appended; empty type becomes bind', () => {
    const mounts = baseRuntimeSpec().mounts;
    const n = mounts.length;
    expect(mergeMount(mounts, { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['size=1k'] })).toBe(3);
    expect(mounts[3].options).toEqual(['size=1k']);
    expect(mergeMount(mounts, { destination: '/data', type: '', source: '/host/data' })).toBe(n);
    expect(mounts[n].type).toBe('bind');
  });

  it('rlimits: same type replaced in place, else appended', () => {
    const r = baseRuntimeSpec().process.rlimits;
    expect(mergeRlimit(r, { type: 'RLIMIT_NPROC', hard: 10, soft: 10 })).toBe(1);
    expect(mergeRlimit(r, { type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096 })).toBe(0);
    expect(r).toEqual([
      { type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096 },
      { type: 'RLIMIT_NPROC', hard: 10, soft: 10 },
    ]);
  });

  it('image Env replaces PATH in place and appends new names after the AOS_* variables', () => {
    const p = buildPreview(config('    cmd: a\n    env:\n        - PATH=/opt/bin\n        - X=1\n'));
    expect(p.runtimeSpec.v9.process.env).toEqual([
      'PATH=/opt/bin',
      'TERM=xterm',
      'AOS_ITEM_ID=service',
      'AOS_SUBJECT_ID=preview-subject',
      'AOS_INSTANCE_INDEX=0',
      'AOS_INSTANCE_ID=preview-instance-0',
      'X=1',
    ]);
    expect(p.trace['/runtimeSpec/v9/process/env/0']).toMatchObject({ path: 'configuration.env[0]', line: 11 });
    expect(p.trace['/runtimeSpec/v9/process/env/6']).toMatchObject({ path: 'configuration.env[1]', line: 12 });
  });

  it('cloud override env vars come last and replace by name (step 10)', () => {
    const p = buildPreview(config('    cmd: a\n    env:\n        - X=1\n'), { node: { overrideEnv: ['X=2', 'Y=3'] } });
    const env = p.runtimeSpec.v9.process.env;
    expect(env.filter((e) => e.startsWith('X='))).toEqual(['X=2']);
    expect(env.at(-1)).toBe('Y=3');
  });
});

describe('generated spec', () => {
  const p = buildPreview(
    config(
      '    cmd: python3 -u main.py\n    workingDir: /app\n    hostname: box\n    sysctl:\n        net.ipv4.ip_forward: 1\n    quotas:\n        mem: 100M\n        temp: 32KB\n        state: 64KB\n        storage: 0\n    permissions:\n        vis:\n            a: r\n',
    ),
    { node: { instanceId: 'inst-1', uid: 5001, gid: 5002, serviceId: 'svc', subjectId: 'subj', instanceIndex: 2 } },
  );

  it('v8 and v9 differ in the id variable and the cgroups path', () => {
    expect(p.runtimeSpec.v8.process.env).toContain('AOS_SERVICE_ID=svc');
    expect(p.runtimeSpec.v8.process.env.some((e) => e.startsWith('AOS_ITEM_ID='))).toBe(false);
    expect(p.runtimeSpec.v9.process.env).toContain('AOS_ITEM_ID=svc');
    expect(p.runtimeSpec.v9.process.env.some((e) => e.startsWith('AOS_SERVICE_ID='))).toBe(false);
    expect(p.runtimeSpec.v8.linux.cgroupsPath).toBe('/system.slice/system-aos\\x2dservice.slice/inst-1');
    expect(p.runtimeSpec.v9.linux.cgroupsPath).toBe('/system.slice/system-aos.slice/system-aos-service.slice/inst-1');
    expect(cgroupsPath('v9', 'x')).toBe('/system.slice/system-aos.slice/system-aos-service.slice/x');
  });

  it('applies the steps in order', () => {
    const s = p.runtimeSpec.v9;
    expect(s.ociVersion).toBe('1.2.0');
    expect(s.process.terminal).toBe(false);
    expect(s.process.user).toEqual({ uid: 5001, gid: 5002 });
    expect(s.root).toEqual({ path: '/run/aos/runtime/inst-1/rootfs', readonly: false });
    expect(s.linux.namespaces.find((n) => n.type === 'network')).toEqual({ type: 'network', path: '/run/netns/inst-1' });
    expect(s.process.args).toEqual(['python3', '-u', 'main.py']);
    expect(s.process.cwd).toBe('/app');
    expect(s.process.env).toEqual(expect.arrayContaining(['AOS_SUBJECT_ID=subj', 'AOS_INSTANCE_INDEX=2', 'AOS_INSTANCE_ID=inst-1', 'AOS_SECRET=<secret issued by IAM>']));
    expect(s.hostname).toBe('box');
    expect(s.linux.resources.memory).toEqual({ limit: 100000000 });
    const dest = s.mounts.map((m) => m.destination);
    expect(dest.slice(-4)).toEqual(['/etc/nsswitch.conf', '/etc/ssl', '/tmp', '/state.dat']);
    expect(dest).not.toContain('/storage'); // storage: 0 → not mounted
    expect(s.mounts.find((m) => m.destination === '/tmp')).toEqual({
      destination: '/tmp',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=1777', 'size=32000'],
    });
    expect(s.mounts.find((m) => m.destination === '/etc/ssl')?.options).toEqual(['bind', 'ro']);
    expect(s.process.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }]);
  });

  it('sysctl is unit-side only: a v1 configuration.sysctl never reaches linux.sysctl, the item config or the trace', () => {
    // The config above writes `sysctl:` under configuration; validate reports it as an unknown key.
    for (const t of ['v8', 'v9'] as const) expect(p.runtimeSpec[t].linux).not.toHaveProperty('sysctl');
    expect(p.itemConfig).not.toHaveProperty('sysctl');
    expect(p.serviceConfig).not.toHaveProperty('sysctl');
    expect(Object.keys(p.trace).filter((k) => k.includes('sysctl'))).toEqual([]);
    expect(Object.values(p.trace).filter((e) => e.path.includes('sysctl'))).toEqual([]);
  });

  it('a missing cmd gives empty args and a warning under crun/runc, none under VM runners', () => {
    const q = buildPreview(config('    workingDir: /\n'));
    expect(q.runtimeSpec.v9.process.args).toEqual([]);
    const w = q.warnings.find((x) => x.code === 'no-cmd');
    expect(w).toMatchObject({ severity: 'warning', path: 'configuration.cmd' });
    expect(w?.message).toMatch(/crun and runc refuse/);
    expect(buildPreview(config('    runner: runc\n')).warnings.map((x) => x.code)).toContain('no-cmd');
    expect(buildPreview(config('    runners: [xrun]\n')).warnings.map((x) => x.code)).not.toContain('no-cmd');
    expect(buildPreview(config('    runner: runx\n')).warnings.map((x) => x.code)).not.toContain('no-cmd');
  });
});
