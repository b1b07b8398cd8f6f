import { config, diagnostics, errors, only } from './helpers';

const PUBLISH = (version: string) =>
  `    url: aoscloud.io\n    service_uid: abc\n    tls_pkcs12: aos-user-sp.p12\n    version: ${version}\n`;

describe('top level', () => {
  it('reports each missing required section at the start of the document', () => {
    const list = errors('publisher:\n    author: me\n');
    expect(list.map((d) => [d.code, d.path, d.line, d.column])).toEqual([
      ['missing-section', 'build', 1, 1],
      ['missing-section', 'publish', 1, 1],
      ['missing-section', 'configuration', 1, 1],
      // No cmd either, so crun/runc would get empty args (rules/runtime.ts checkCommand).
      ['missing-cmd', 'configuration.cmd', 1, 1],
    ]);
    expect(list[1].message).toContain('required for upload');
  });

  it('reports an unknown top-level key with a suggestion', () => {
    const d = only(`${config()}configurations:\n    x: 1\n`.replace('configurations:\n    x: 1\n', 'publsher:\n    author: me\n'));
    expect(d).toMatchObject({ code: 'unknown-key', path: 'publsher', line: 13, column: 1 });
    expect(d.message).toContain("did you mean 'publisher'?");
  });

  it('reports a non-map document', () => {
    const list = errors('- a\n- b\n');
    expect(list[0]).toMatchObject({ code: 'invalid-type', path: '', line: 1, column: 1 });
  });

  it('reports YAML syntax errors with positions', () => {
    const list = diagnostics('build:\n    os: linux\n  bad: [\n');
    const syntax = list.filter((d) => d.code === 'yaml-syntax');
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0].line).toBeGreaterThanOrEqual(3);
  });

  it('reports only the syntax errors when the YAML does not parse, never "missing" keys of a document it could not read', () => {
    // publish: with a badly indented key: the rules used to add missing-field errors for
    // publish.* and build.* of the half-read document.
    const list = diagnostics(config().replace('publish:', 'publish:\n   bad: : x\n  x:'));
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((d) => d.code === 'yaml-syntax'), JSON.stringify(list, null, 1)).toBe(true);
    expect(list[0]).toMatchObject({ severity: 'error' });
    expect(list[0].line).toBeGreaterThan(1);
  });

  it('reports a key listed twice as a syntax error at the second key', () => {
    const d = diagnostics(config('    hostname: a\n    hostname: b\n')).find((x) => x.code === 'yaml-syntax');
    expect(d).toMatchObject({ severity: 'error', line: 14, column: 5 });
  });

  it('accepts the publisher section', () => {
    expect(diagnostics(`publisher:\n    author: Jane\n    company: ACME\n${config()}`)).toEqual([]);
  });
});

describe('build', () => {
  it('requires a signing credential', () => {
    expect(only(config('', { build: '    os: linux\n' }))).toMatchObject({
      code: 'missing-sign-credentials',
      path: 'build',
      line: 1,
      column: 1,
    });
  });

  it('rejects both sign_pkcs12 and the PEM pair', () => {
    const build = '    sign_pkcs12: a.p12\n    sign_key: k.pem\n    sign_certificate: c.pem\n';
    expect(only(config('', { build }))).toMatchObject({ code: 'conflicting-sign-credentials', path: 'build.sign_key', line: 3, column: 5 });
  });

  it('rejects half of the PEM pair', () => {
    expect(only(config('', { build: '    sign_key: k.pem\n' }))).toMatchObject({
      code: 'incomplete-sign-credentials',
      path: 'build.sign_key',
      line: 2,
      column: 5,
    });
  });

  it('accepts the PEM pair', () => {
    expect(diagnostics(config('', { build: '    sign_key: k.pem\n    sign_certificate: c.pem\n' }))).toEqual([]);
  });

  it('checks the symlinks policy', () => {
    const d = only(config('', { build: '    sign_pkcs12: a.p12\n    symlinks: copi\n' }));
    expect(d).toMatchObject({ code: 'invalid-enum', path: 'build.symlinks', line: 3, column: 15 });
    expect(d.message).toBe("build.symlinks must be one of copy, delete, raise; got 'copi'. Did you mean 'copy'?");
  });

  it('accepts every build key', () => {
    const build =
      '    os: linux\n    arch: aarch64\n    sign_pkcs12: a.p12\n    symlinks: raise\n    source_folder: src\n    package_folder: .\n    context: x\n';
    expect(diagnostics(config('', { build }))).toEqual([]);
  });

  it('warns about an os other than linux', () => {
    expect(only(config('', { build: '    os: windows\n    sign_pkcs12: a.p12\n' }))).toMatchObject({
      severity: 'warning',
      code: 'unexpected-os',
      line: 2,
      column: 9,
    });
  });

  it('suggests keys inside build', () => {
    const d = only(config('', { build: '    sign_pkcs: a.p12\n    sign_pkcs12: a.p12\n' }));
    expect(d).toMatchObject({ code: 'unknown-key', path: 'build.sign_pkcs', line: 2, column: 5 });
    expect(d.message).toContain("did you mean 'sign_pkcs12'?");
  });
});

describe('publish', () => {
  it.each([
    ['1.0.0', true],
    ['"1.0.0"', true],
    ['1.0.0-rc.1', true],
    ['1.0.0+build.5', true],
    ['1.0', false],
    ['"1.0"', false],
    ['1', false],
    ['v1.0.0', false],
    ['01.0.0', false],
    ['1.0.0-', false],
    ['true', false],
  ])('version %s valid: %s', (version, valid) => {
    const list = diagnostics(config('', { publish: PUBLISH(version) }));
    if (valid) expect(list).toEqual([]);
    else expect(list).toEqual([expect.objectContaining({ code: 'invalid-semver', path: 'publish.version', line: 9, column: 14 })]);
  });

  it('quotes the version as written in the message', () => {
    expect(only(config('', { publish: PUBLISH('1.0') })).message).toBe(
      "publish.version must be strict SemVer 2.0.0 such as 1.0.0; got '1.0'.",
    );
  });

  it('requires version', () => {
    const publish = '    url: aoscloud.io\n    service_uid: abc\n    tls_pkcs12: a.p12\n';
    expect(only(config('', { publish }))).toMatchObject({ code: 'missing-version', path: 'publish.version', line: 5, column: 1 });
  });

  it('reports version: with no value at its key', () => {
    const publish = '    url: aoscloud.io\n    service_uid: abc\n    tls_pkcs12: a.p12\n    version:\n';
    expect(only(config('', { publish }))).toMatchObject({ code: 'missing-version', line: 9, column: 5 });
  });

  it.each([
    ['missing', '    url: aoscloud.io\n    tls_pkcs12: a.p12\n    version: 1.0.0\n', 5, 1],
    ['null', '    url: aoscloud.io\n    service_uid: # from the cloud\n    tls_pkcs12: a.p12\n    version: 1.0.0\n', 7, 5],
    ['empty string', '    url: aoscloud.io\n    service_uid: ""\n    tls_pkcs12: a.p12\n    version: 1.0.0\n', 7, 5],
  ])('warns about a %s service_uid', (_what, publish, line, column) => {
    expect(only(config('', { publish }))).toMatchObject({ severity: 'warning', code: 'empty-service-uid', line, column });
  });

  it('requires url to be a host name', () => {
    const d = only(config('', { publish: PUBLISH('1.0.0').replace('aoscloud.io', 'https://aoscloud.io') }));
    expect(d).toMatchObject({ code: 'invalid-host', path: 'publish.url', line: 6, column: 10, severity: 'error' });
    expect(d.message).toContain('no scheme');
  });

  it('warns when url or TLS credentials are missing', () => {
    const list = diagnostics(config('', { publish: '    service_uid: abc\n    version: 1.0.0\n' }));
    expect(list.map((d) => [d.severity, d.code, d.line, d.column])).toEqual([
      ['warning', 'missing-url', 5, 1],
      ['warning', 'missing-tls-credentials', 5, 1],
    ]);
  });

  it('warns about half of the TLS PEM pair', () => {
    const publish = '    url: aoscloud.io\n    service_uid: abc\n    tls_certificate: c.pem\n    version: 1.0.0\n';
    expect(only(config('', { publish }))).toMatchObject({ severity: 'warning', code: 'incomplete-tls-credentials', line: 8, column: 5 });
  });

  it('rejects a string where a number is written', () => {
    expect(only(config('', { publish: PUBLISH('1.0.0').replace('abc', '12345') }))).toMatchObject({
      code: 'invalid-type',
      path: 'publish.service_uid',
      line: 7,
      column: 18,
    });
  });
});

describe('configuration.layers', () => {
  it('accepts maps, bare uids and one-sided ranges', () => {
    const extra = '    layers:\n        - uid: a\n          minVersion: 1.0.0\n        - b\n        - uid: c\n          maxVersion: 2.0.0\n';
    expect(diagnostics(config(extra))).toEqual([]);
  });

  it('rejects a uid listed twice, at the second one', () => {
    const extra = '    layers:\n        - uid: pylibs\n          minVersion: 1.0.0\n        - "pylibs"\n';
    const d = only(config(extra));
    expect(d).toMatchObject({ code: 'duplicate-layer', path: 'configuration.layers[1]', line: 16, column: 11 });
    expect(d.message).toContain('configuration.layers[0]');
  });

  it('rejects min above max', () => {
    const extra = '    layers:\n        - uid: a\n          minVersion: 2.0.0\n          maxVersion: 1.0.0\n';
    expect(only(config(extra))).toMatchObject({ code: 'invalid-layer-range', path: 'configuration.layers[0].minVersion', line: 15, column: 23 });
  });

  it('accepts min equal to max (exactly that version)', () => {
    expect(diagnostics(config('    layers:\n        - uid: a\n          minVersion: 1.2.0\n          maxVersion: 1.2.0\n'))).toEqual([]);
  });

  it('requires strict SemVer bounds (a YAML number 1.0 included)', () => {
    const extra = '    layers:\n        - uid: a\n          minVersion: 1.0.0\n        - uid: b\n          minVersion: 1.0\n';
    const d = only(config(extra));
    expect(d).toMatchObject({ code: 'invalid-semver', path: 'configuration.layers[1].minVersion', line: 17, column: 23 });
    expect(d.message).toBe("configuration.layers[1].minVersion must be strict SemVer 2.0.0 such as 1.0.0; got '1.0'.");
  });

  it('requires a uid and knows the item keys', () => {
    expect(only(config('    layers:\n        - minVersion: 1.0.0\n'))).toMatchObject({ code: 'missing-key', path: 'configuration.layers[0].uid', line: 14, column: 11 });
    const d = only(config('    layers:\n        - uid: a\n          minversion: 1.0.0\n'));
    expect(d).toMatchObject({ code: 'unknown-key', path: 'configuration.layers[0].minversion', line: 15, column: 11 });
    expect(d.message).toContain("did you mean 'minVersion'?");
  });

  it('rejects a layer item that is neither a uid nor a map', () => {
    expect(only(config('    layers:\n        - 5\n'))).toMatchObject({ code: 'invalid-type', path: 'configuration.layers[0]', line: 14, column: 11 });
  });

  it('rejects an empty uid', () => {
    expect(only(config('    layers:\n        - ""\n'))).toMatchObject({ code: 'invalid-layer', line: 14, column: 11 });
  });
});
