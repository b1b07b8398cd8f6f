import { locate, parseServiceConfig, SERVICE_CONFIG_SCHEMA } from '../../../src/shared/service-config';

describe('parseServiceConfig', () => {
  it('gives the document, a line counter and the plain value', () => {
    const parsed = parseServiceConfig('build:\n    os: linux # comment\n');
    expect(parsed.value).toEqual({ build: { os: 'linux' } });
    expect(parsed.syntax).toEqual([]);
    expect(parsed.doc.toString()).toContain('# comment');
    expect(parsed.lineCounter.linePos(7)).toEqual({ line: 2, col: 1 });
  });

  it('reports syntax errors with 1-based positions and no value', () => {
    const parsed = parseServiceConfig('build:\n    os: linux: x\n');
    expect(parsed.value).toBeUndefined();
    expect(parsed.syntax[0]).toMatchObject({ severity: 'error', code: 'yaml-syntax', path: '', line: 2, column: 9, offset: 15 });
    expect(parsed.syntax[0].message).toMatch(/^YAML syntax error: /);
  });

  it('handles an empty document', () => {
    const parsed = parseServiceConfig('');
    expect(parsed.value).toBeNull();
    expect(parsed.syntax).toEqual([]);
  });
});

describe('locate', () => {
  const text = 'configuration:\n    layers:\n        - uid: a\n          minVersion: 1.0.0\n    hostname:\n';
  const parsed = parseServiceConfig(text);

  it('finds keys and values by path', () => {
    expect(locate(parsed, ['configuration', 'layers', 0, 'minVersion'], 'key')).toEqual({ line: 4, column: 11, offset: 54, endOffset: 64 });
    expect(locate(parsed, ['configuration', 'layers', 0, 'minVersion'], 'value')).toEqual({ line: 4, column: 23, offset: 66, endOffset: 71 });
    expect(locate(parsed, ['configuration', 'layers', 0])).toMatchObject({ line: 3, column: 11 });
    expect(text.slice(66, 71)).toBe('1.0.0');
  });

  it('points at the key of an empty value', () => {
    expect(locate(parsed, ['configuration', 'hostname'], 'value')).toMatchObject({ line: 5, column: 5 });
  });

  it('returns null for a missing path', () => {
    expect(locate(parsed, ['configuration', 'quotas'])).toBeNull();
    expect(locate(parsed, ['configuration', 'layers', 3])).toBeNull();
  });
});

describe('SERVICE_CONFIG_SCHEMA', () => {
  it('has the four sections with build, publish and configuration required', () => {
    expect(SERVICE_CONFIG_SCHEMA.map((s) => [s.key, s.kind, !!s.required])).toEqual([
      ['publisher', 'section', false],
      ['build', 'section', true],
      ['publish', 'section', true],
      ['configuration', 'section', true],
    ]);
  });

  it('lists every key of spec §2', () => {
    const keys = (name: string) => SERVICE_CONFIG_SCHEMA.find((s) => s.key === name)!.fields!.map((f) => f.key);
    expect(keys('build')).toEqual(['os', 'arch', 'sign_pkcs12', 'sign_key', 'sign_certificate', 'symlinks', 'source_folder', 'package_folder', 'context']);
    expect(keys('publish')).toEqual(['url', 'service_uid', 'tls_pkcs12', 'tls_key', 'tls_certificate', 'version']);
    expect(keys('configuration')).toEqual([
      'cmd', 'workingDir', 'state', 'layers', 'env', 'instances', 'runParameters', 'offlineTTL', 'downloadTTL',
      'isResourceLimits', 'runner', 'runners', 'quotas', 'requestedResources', 'alerts', 'hostname', 'exposedPorts',
      'allowedConnections', 'balancingPolicy', 'devices', 'resources', 'permissions',
    ]);
  });

  it('documents every field and gives options to enums', () => {
    const walk = (fields: readonly (typeof SERVICE_CONFIG_SCHEMA)[number][]): void => {
      for (const f of fields) {
        expect(f.doc.length, f.key).toBeGreaterThan(5);
        if (f.kind === 'enum' || f.kind === 'enum-list') expect(f.options?.length, f.key).toBeGreaterThan(1);
        if (f.kind === 'section' || f.kind === 'object-list') walk(f.fields ?? []);
      }
    };
    walk(SERVICE_CONFIG_SCHEMA);
  });
});
