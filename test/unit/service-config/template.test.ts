import {
  checkServiceConfig,
  parseServiceConfig,
  renderServiceConfigTemplate,
  SERVICE_CONFIG_SCHEMA,
} from '../../../src/shared/service-config';

describe('renderServiceConfigTemplate', () => {
  const text = renderServiceConfigTemplate();

  it('validates with no errors; only the empty service_uid warns', () => {
    const list = checkServiceConfig(text).diagnostics;
    expect(list.map((d) => [d.severity, d.code])).toEqual([['warning', 'empty-service-uid']]);
  });

  it('has the documented defaults', () => {
    expect(parseServiceConfig(text).value).toEqual({
      build: { os: 'linux', arch: 'x86', sign_pkcs12: 'aos-user-sp.p12', symlinks: 'copy' },
      publish: { url: 'aoscloud.io', service_uid: null, tls_pkcs12: 'aos-user-sp.p12', version: '1.0.0' },
      configuration: { cmd: 'python3 -u /usr/bin/services/hello_world.py', workingDir: '/' },
    });
    expect(text).toContain('    version: "1.0.0"');
    expect(text).toMatch(/^#publisher:/m);
    expect(text).toMatch(/^ {4}service_uid: +# /m);
  });

  it('mentions every optional configuration key as a comment', () => {
    const configuration = SERVICE_CONFIG_SCHEMA.find((s) => s.key === 'configuration')!;
    for (const field of configuration.fields!) {
      if (field.key === 'cmd' || field.key === 'workingDir') continue;
      expect(text, field.key).toMatch(new RegExp(`^ *#${field.key}:`, 'm'));
    }
    expect(text).toContain('#    - uid: aos-pylibs-layer\n    #      minVersion: 1.0.0\n    #      maxVersion: 2.0.0');
  });

  it('every commented example is itself valid when uncommented', () => {
    const uncommented = text.replace(/^# Reference:.*\n/m, '').replace(/^( *)#( *)(?=[A-Za-z_.*-]+:|- )/gm, '$1$2');
    const list = checkServiceConfig(uncommented).diagnostics;
    // Uncommenting also brings in sign_key/tls_key next to the PKCS#12 files.
    expect(list.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['conflicting-sign-credentials']);
  });

  it('uses the options and quotes values that need it', () => {
    const custom = renderServiceConfigTemplate({
      cmd: 'echo: hi',
      workingDir: '/srv',
      arch: 'aarch64',
      pkcs12: 'me.p12',
      url: 'cloud.example.com',
      name: 'hello',
    });
    const value = parseServiceConfig(custom).value as Record<string, Record<string, unknown>>;
    expect(value.configuration).toEqual({ cmd: 'echo: hi', workingDir: '/srv' });
    expect(value.build.arch).toBe('aarch64');
    expect(value.build.sign_pkcs12).toBe('me.p12');
    expect(value.publish.tls_pkcs12).toBe('me.p12');
    expect(value.publish.url).toBe('cloud.example.com');
    expect(custom.split('\n')[0]).toBe('# Service config of hello (AosEdge schema v1).');
    expect(checkServiceConfig(custom).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
