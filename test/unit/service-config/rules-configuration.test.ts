import { config, diagnostics, only } from './helpers';

// Each case adds lines to `configuration` from line 13 (see helpers.config) and expects
// exactly one diagnostic at the offending key or value.
describe('configuration rules', () => {
  it('the base config is clean', () => {
    expect(diagnostics(config())).toEqual([]);
  });

  it.each([
    // [what, extra lines, code, path, line, column]
    ['cmd a number', '', 'invalid-type', 'configuration.cmd', 11, 10, '    cmd: 42\n'],
    ['unknown key without suggestion', '    args:\n', 'unknown-key', 'configuration.args', 13, 5],
    ['relative workingDir', '', 'not-absolute-path', 'configuration.workingDir', 12, 17, '    workingDir: app\n'],
    ['state.required not a bool', '    state:\n        filename: state.dat\n        required: yes\n', 'invalid-type', 'configuration.state.required', 15, 19],
    ['unknown key in state', '    state:\n        filname: state.dat\n', 'unknown-key', 'configuration.state.filname', 14, 9],
    ['env without =', '    env:\n        - GOOD=1\n        - BAD\n', 'invalid-env', 'configuration.env[1]', 15, 11],
    ['env name starting with a digit', '    env:\n        - 1X=a\n', 'invalid-env', 'configuration.env[0]', 14, 11],
    ['minInstances negative', '    instances:\n        minInstances: -1\n', 'out-of-range', 'configuration.instances.minInstances', 14, 23],
    ['priority too high', '    instances:\n        priority: 1000000001\n', 'out-of-range', 'configuration.instances.priority', 14, 19],
    ['priority not whole', '    instances:\n        priority: 1.5\n', 'invalid-type', 'configuration.instances.priority', 14, 19],
    ['labels not strings', '    instances:\n        labels:\n            - 7\n', 'invalid-type', 'configuration.instances.labels[0]', 15, 15],
    ['startInterval garbage', "    runParameters:\n        startInterval: '10s'\n", 'invalid-duration', 'configuration.runParameters.startInterval', 14, 24],
    ['startBurst not int', '    runParameters:\n        startBurst: three\n', 'invalid-type', 'configuration.runParameters.startBurst', 14, 21],
    ['offlineTTL PT', '    offlineTTL: PT\n', 'invalid-duration', 'configuration.offlineTTL', 13, 17],
    ['downloadTTL number', '    downloadTTL: 60\n', 'invalid-duration', 'configuration.downloadTTL', 13, 18],
    ['isResourceLimits string', '    isResourceLimits: nope\n', 'invalid-type', 'configuration.isResourceLimits', 13, 23],
    ['isResourceLimits false on a release', '    isResourceLimits: false\n', 'resource-limits-release', 'configuration.isResourceLimits', 13, 23],
    ['runner unknown', '    runner: crunn\n', 'invalid-enum', 'configuration.runner', 13, 13],
    ['runners item unknown', '    runners:\n        - crun\n        - docker\n', 'invalid-enum', 'configuration.runners[1]', 15, 11],
    ['quotas MiB', '    quotas:\n        mem: 100MiB\n', 'size-binary-unit', 'configuration.quotas.mem', 14, 14],
    ['quotas garbage', '    quotas:\n        temp: lots\n', 'invalid-size', 'configuration.quotas.temp', 14, 15],
    ['quotas unknown key', '    quotas:\n        memory: 8M\n', 'unknown-key', 'configuration.quotas.memory', 14, 9],
    ['quotas mem below 6 MB with crun', '    runner: crun\n    quotas:\n        mem: 2kB\n', 'memory-below-minimum', 'configuration.quotas.mem', 15, 14],
    ['quotas mem below 6 MB without runner', '    quotas:\n        mem: 5999999\n', 'memory-below-minimum', 'configuration.quotas.mem', 14, 14],
    ['ram below 6 MB', '    requestedResources:\n        ram: 200kB\n', 'memory-below-minimum', 'configuration.requestedResources.ram', 14, 14],
    ['requestedResources cpu text', '    requestedResources:\n        cpu: much\n', 'invalid-type', 'configuration.requestedResources.cpu', 14, 14],
    ['alerts unknown resource', '    alerts:\n        gpu:\n            minTime: PT5S\n', 'unknown-key', 'configuration.alerts.gpu', 14, 9],
    ['alerts threshold with comma', "    alerts:\n        ram:\n            minThreshold: 10,\n", 'invalid-type', 'configuration.alerts.ram.minThreshold', 15, 27],
    ['alerts minTime', '    alerts:\n        cpu:\n            minTime: 5\n', 'invalid-duration', 'configuration.alerts.cpu.minTime', 15, 22],
    ['hostname invalid', '    hostname: my_container\n', 'invalid-host', 'configuration.hostname', 13, 15],
    ['port out of range', '    exposedPorts:\n        - 70000\n', 'invalid-port', 'configuration.exposedPorts[0]', 14, 11],
    ['port zero', '    exposedPorts:\n        - 0\n', 'invalid-port', 'configuration.exposedPorts[0]', 14, 11],
    ['range start not below end', '    exposedPorts:\n        - 8090-8089/tcp\n', 'invalid-port', 'configuration.exposedPorts[0]', 14, 11],
    ['bad protocol', '    exposedPorts:\n        - 1515/sctp\n', 'invalid-port', 'configuration.exposedPorts[0]', 14, 11],
    ['port not a number', '    exposedPorts:\n        - http\n', 'invalid-port', 'configuration.exposedPorts[0]', 14, 11],
    ['connection with two parts', '    allowedConnections:\n        - 9931560c-be75-4f60-9abf-08297d905332/8087\n', 'invalid-connection', 'configuration.allowedConnections[0]', 14, 11],
    ['connection bad uuid', '    allowedConnections:\n        - not-a-uuid/8087/tcp\n', 'invalid-connection', 'configuration.allowedConnections[0]', 14, 11],
    ['connection bad port', '    allowedConnections:\n        - 9931560c-be75-4f60-9abf-08297d905332/99999/tcp\n', 'invalid-connection', 'configuration.allowedConnections[0]', 14, 11],
    ['connection bad protocol', '    allowedConnections:\n        - 9931560c-be75-4f60-9abf-08297d905332/80/http\n', 'invalid-connection', 'configuration.allowedConnections[0]', 14, 11],
    ['balancingPolicy', '    balancingPolicy: on\n', 'invalid-enum', 'configuration.balancingPolicy', 13, 22],
    ['device mode', '    devices:\n        - name: camera0\n          mode: rx\n', 'invalid-device-mode', 'configuration.devices[0].mode', 15, 17],
    ['device mode repeated', '    devices:\n        - name: camera0\n          mode: rr\n', 'invalid-device-mode', 'configuration.devices[0].mode', 15, 17],
    ['device without name', '    devices:\n        - mode: rw\n', 'missing-key', 'configuration.devices[0].name', 14, 11],
    ['device unknown key', '    devices:\n        - name: camera0\n          mode: rw\n          path: /dev/video0\n', 'unknown-key', 'configuration.devices[0].path', 16, 11],
    ['resources not a list', '    resources: vis\n', 'invalid-type', 'configuration.resources', 13, 16],
    ['permission mode', '    permissions:\n        vis:\n            Signal.Doors.*: rwx\n', 'invalid-permission', 'configuration.permissions.vis.Signal.Doors.*', 15, 29],
    ['permission server not a map', '    permissions:\n        vis: rw\n', 'invalid-permission', 'configuration.permissions.vis', 14, 14],
    ['unknown key with suggestion', '    workingdir: /\n', 'unknown-key', 'configuration.workingdir', 13, 5],
  ])('%s', (_what, extra, code, path, line, column, replaceLines?: string) => {
    let text = config(extra as string);
    if (replaceLines) {
      // Swap line 11 (cmd) or 12 (workingDir) for the variant under test.
      const lines = text.split('\n');
      lines[(line as number) - 1] = (replaceLines as string).replace(/\n$/, '');
      text = lines.join('\n');
    }
    expect(only(text)).toMatchObject({ code, path, line, column, severity: code === 'duplicate-env' ? 'warning' : 'error' });
  });

  it('suggests the close key and says how to fix it', () => {
    expect(only(config('    workingdir: /\n')).message).toBe("Unknown key 'workingdir' in configuration: did you mean 'workingDir'?");
    expect(only(config('    runer: crun\n')).message).toContain("did you mean 'runner'?");
  });

  it('says where a key from another section belongs', () => {
    expect(only(config('    version: 1.0.0\n')).message).toContain("'version' belongs under publish");
  });

  it('says that MiB-style units are rejected by the v1 tool', () => {
    expect(only(config('    quotas:\n        mem: 100MiB\n')).message).toMatch(/the platform's upload tool rejects them/);
  });

  it('accepts every documented configuration key in its valid form', () => {
    const extra = [
      '    state:',
      '        filename: state.dat',
      '        required: false',
      '    layers:',
      '        - uid: aos-pylibs-layer',
      '          minVersion: 1.0.0',
      '          maxVersion: 2.0.0',
      '        - uid: exact-layer',
      '          minVersion: 1.2.0',
      '          maxVersion: 1.2.0',
      '        - "bare-uid-layer"',
      '    env:',
      '        - MY_VAR=some value',
      '        - EMPTY=',
      '    instances:',
      '        minInstances: 0',
      '        priority: 1000000000',
      '        labels:',
      '            - node1Label',
      '    runParameters:',
      "        startInterval: 'PT10S'",
      '        startBurst: 3',
      '        restartInterval: PT1S',
      '    offlineTTL: P1DT3H',
      '    downloadTTL: PT1M',
      '    isResourceLimits: true',
      '    runner: runc',
      '    runners: [crun, runc]',
      '    quotas:',
      '        cpu: 50',
      '        mem: 100M',
      '        state: 64KB',
      '        storage: 1.5g',
      '        upload_speed: 32Kb',
      '        download_speed: 32Kb',
      '        upload: 1GB',
      '        download: 1GB',
      '        temp: 4Ki',
      '    requestedResources:',
      '        cpu: 10000',
      '        ram: 6M',
      '        storage: 64kB',
      '        state: 32kB',
      '    alerts:',
      '        ram:',
      "            minTime: 'PT5S'",
      '            minThreshold: 10',
      '            maxThreshold: 150.5',
      '    hostname: my-container',
      '    exposedPorts:',
      '        - 8089-8090/tcp',
      '        - 1515/udp',
      '        - 9000',
      '        - "9001"',
      '    allowedConnections:',
      '        - 9931560c-be75-4f60-9abf-08297d905332/8087-8088/tcp',
      '        - 9931560C-BE75-4F60-9ABF-08297D905332/1515/udp',
      '    balancingPolicy: disabled',
      '    devices:',
      '        - name: camera0',
      '          mode: rwm',
      '    resources:',
      '        - system-dbus',
      '    permissions:',
      '        vis:',
      '            Attribute.Body.Vehicle.VIN: "r"',
      '            Signal.Doors.* : "rw"',
      '',
    ].join('\n');
    expect(diagnostics(config(extra))).toEqual([]);
    expect(diagnostics(config('    resources: []\n'))).toEqual([]);
  });

  it('accepts cmd as a list of strings and rejects other items', () => {
    const lines = config().split('\n');
    lines[10] = '    cmd: [python3, "-u", /app.py]';
    expect(diagnostics(lines.join('\n'))).toEqual([]);
    lines[10] = '    cmd: [python3, 7]';
    expect(only(lines.join('\n'))).toMatchObject({ code: 'invalid-type', path: 'configuration.cmd[1]', line: 11, column: 20 });
  });

  describe('a container needs a start command (runc refuses process.args: [])', () => {
    /** config() with line 11 (cmd) replaced, or dropped when `cmdLine` is null. */
    const withCmd = (cmdLine: string | null, extra = '') => {
      const lines = config(extra).split('\n');
      if (cmdLine === null) lines.splice(10, 1);
      else lines[10] = cmdLine;
      return lines.join('\n');
    };

    it('no cmd under the default runners is an error at the configuration section', () => {
      const d = only(withCmd(null));
      expect(d).toMatchObject({ severity: 'error', code: 'missing-cmd', path: 'configuration.cmd', line: 10, column: 1 });
      expect(d.message).toMatch(/process\.args: \[\].*crun and runc refuse/);
    });

    it.each([
      ['runner: runc', '    runner: runc\n'],
      ['runner: crun', '    runner: crun\n'],
      ['runners: [crun, runc]', '    runners: [crun, runc]\n'],
      ['runners: [xrun, runc]', '    runners: [xrun, runc]\n'],
      ['runner: crun wins over runners: [xrun]', '    runner: crun\n    runners: [xrun]\n'],
    ])('no cmd with %s is an error', (_what, extra) => {
      expect(only(withCmd(null, extra))).toMatchObject({ code: 'missing-cmd', line: 10, column: 1 });
    });

    it.each([
      ['runners: [xrun]', '    runners:\n        - xrun\n'],
      ['runner: runx', '    runner: runx\n'],
      ['runners: [xrun, runx]', '    runners: [xrun, runx]\n'],
    ])('no cmd with %s (a VM runner) is fine', (_what, extra) => {
      expect(diagnostics(withCmd(null, extra))).toEqual([]);
    });

    it('an empty string or an empty list is no command either: the error sits on the key', () => {
      expect(only(withCmd('    cmd: ""'))).toMatchObject({ code: 'missing-cmd', line: 11, column: 5 });
      expect(only(withCmd('    cmd: []'))).toMatchObject({ code: 'missing-cmd', line: 11, column: 5 });
      const blank = diagnostics(withCmd('    cmd:'));
      expect(blank.map((x) => [x.code, x.severity, x.line])).toEqual([
        ['missing-cmd', 'error', 11],
        ['empty-value', 'warning', 11],
      ]);
    });

    it('without a configuration section it is reported at the file start', () => {
      const text = 'build:\n    os: linux\npublish:\n    version: "1.0.0"\n';
      expect(diagnostics(text).find((x) => x.code === 'missing-cmd')).toMatchObject({ severity: 'error', path: 'configuration.cmd', line: 1, column: 1 });
    });
  });

  it('configuration.sysctl is an unknown key: unit-side only, no v1 key maps to it', () => {
    const d = only(config('    sysctl:\n        net.ipv4.ip_forward: 1\n'));
    expect(d).toMatchObject({ severity: 'error', code: 'unknown-key', path: 'configuration.sysctl', line: 13, column: 5 });
    expect(d.message).toMatch(/^Unknown key 'sysctl' in configuration: sysctl is set on the unit side only: no v1 config\.yaml key maps to it/);
    // A misspelt known key still gets its suggestion.
    expect(only(config('    hostnam: box\n')).message).toBe("Unknown key 'hostnam' in configuration: did you mean 'hostname'?");
  });

  it('allows isResourceLimits: false for a pre-release version', () => {
    const text = config('    isResourceLimits: false\n', {
      publish: '    url: aoscloud.io\n    service_uid: abc\n    tls_pkcs12: a.p12\n    version: 1.0.0-rc.1\n',
    });
    expect(diagnostics(text)).toEqual([]);
  });

  it('lifts the memory floor for VM runners only', () => {
    expect(diagnostics(config('    runners:\n        - xrun\n    quotas:\n        mem: 2kB\n'))).toEqual([]);
    expect(diagnostics(config('    runner: runx\n    quotas:\n        mem: 2kB\n'))).toEqual([]);
    expect(only(config('    runners: [xrun, crun]\n    quotas:\n        mem: 2kB\n'))).toMatchObject({
      code: 'memory-below-minimum',
      line: 15,
      column: 14,
    });
    // `runner` wins over `runners`.
    expect(only(config('    runner: crun\n    runners: [xrun]\n    quotas:\n        mem: 1M\n')).code).toBe('memory-below-minimum');
  });

  it('reads quotas.mem: 100M as 100 MB (above the floor) and says the convention when too low', () => {
    expect(diagnostics(config('    quotas:\n        mem: 100M\n'))).toEqual([]);
    expect(only(config('    quotas:\n        mem: 5M\n')).message).toBe(
      'configuration.quotas.mem is 5M (5 MB, decimal (M = 1000000)); container runners (crun, runc) need at least 6 MB (6000000 bytes), e.g. 8M.',
    );
  });

  it('warns about an env variable set twice', () => {
    expect(only(config('    env:\n        - A=1\n        - A=2\n'))).toMatchObject({
      severity: 'warning',
      code: 'duplicate-env',
      path: 'configuration.env[1]',
      line: 15,
      column: 11,
    });
  });

  it('warns about keys that have no value', () => {
    expect(only(config('    hostname:\n'))).toMatchObject({ severity: 'warning', code: 'empty-value', line: 13, column: 5 });
  });
});
