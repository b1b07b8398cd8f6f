// Every rule of deployment-bundle.md §2, each at its line and column.
import { checkDeploymentConfig } from '../../../src/shared/deployment-config';
import { bundle, diagnostics, image, only } from './helpers';

const SERVICE = `  - identity: {type: service, codename: hello}
    version: 1.0.0
    images:
      - archInfo: {architecture: amd64}
        sourceFolder: hello/x86
`;

describe('a valid bundle', () => {
  it('has no diagnostics', () => {
    expect(diagnostics(bundle())).toEqual([]);
  });

  it('the example of the spec (two architectures, a dependency) is valid', () => {
    const text = bundle(image('arm64'), `    dependencies:\n      - identity: {type: layer, codename: base-python}\n        versions: ">=1.0.0 <2.0.0"\n`);
    expect(diagnostics(text)).toEqual([]);
  });
});

describe('top level', () => {
  it('schemaVersion must be 2', () => {
    expect(only(bundle().replace('schemaVersion: 2', 'schemaVersion: 3'))).toMatchObject({ code: 'invalid-schema-version', line: 1, column: 16 });
  });

  it('publish.tlsKey is required, reported at publish', () => {
    const d = only(bundle().replace('  tlsKey: aos-user-oem.p12\n', '  domain: aoscloud.io\n'));
    expect(d).toMatchObject({ code: 'missing-key', path: 'publish.tlsKey', line: 2, column: 1 });
    expect(d.message).toContain('tlsKey: aos-user-oem.p12');
  });

  it('publish itself is required', () => {
    const d = only(bundle().replace('publish:\n  tlsKey: aos-user-oem.p12\n', ''));
    expect(d).toMatchObject({ code: 'missing-section', path: 'publish', line: 1, column: 1 });
  });

  it('an empty tlsKey is reported at the key', () => {
    expect(only(bundle().replace('tlsKey: aos-user-oem.p12', 'tlsKey:'))).toMatchObject({ code: 'missing-key', line: 3, column: 3 });
  });

  it('unknown keys are errors with a suggestion', () => {
    const d = only(bundle().replace('  tlsKey: aos-user-oem.p12\n', '  tlsKey: aos-user-oem.p12\n  domian: aoscloud.io\n'));
    expect(d).toMatchObject({ code: 'unknown-key', path: 'publish.domian', line: 4, column: 3 });
    expect(d.message).toContain("did you mean 'domain'?");
  });

  it('v1 keys are named as such, with what replaces them', () => {
    const d = only(bundle().replace('  tlsKey: aos-user-oem.p12\n', '  tlsKey: aos-user-oem.p12\n  tls_pkcs12: x.p12\n'));
    expect(d).toMatchObject({ code: 'unknown-key', line: 4, column: 3 });
    expect(d.message).toContain('names the PKCS#12 `tlsKey`');
  });

  it('an item key at the top level is told where it belongs', () => {
    const d = only(`${bundle()}version: 1.0.0\n`);
    expect(d).toMatchObject({ code: 'unknown-key', line: 14, column: 1 });
    expect(d.message).toContain('belongs under each item');
  });

  it('items may not be empty', () => {
    const text = bundle().slice(0, bundle().indexOf('items:')) + 'items: []\n';
    expect(only(text)).toMatchObject({ code: 'no-items', line: 4, column: 8 });
  });
});

describe('items', () => {
  it('identity.type is service, layer or component, with a suggestion', () => {
    const d = only(bundle().replace('type: layer', 'type: layr'));
    expect(d).toMatchObject({ code: 'invalid-enum', path: 'items[0].identity.type', line: 6, column: 13 });
    expect(d.message).toContain("Did you mean 'layer'?");
  });

  it('codename holds no spaces or slashes, with the spelling it probably meant', () => {
    const d = only(bundle().replace('codename: pylibs', 'codename: py libs'));
    expect(d).toMatchObject({ severity: 'error', code: 'invalid-codename', path: 'items[0].identity.codename', line: 7, column: 17 });
    expect(d.message).toContain('Did you mean py-libs?');
    const dep = `    dependencies:\n      - identity: {type: layer, codename: "base/python"}\n        versions: ">=1.0.0"\n`;
    expect(only(bundle('', dep))).toMatchObject({ code: 'invalid-codename', path: 'items[0].dependencies[0].identity.codename', line: 15 });
    expect(diagnostics(bundle().replace('codename: pylibs', 'codename: aos-pylibs_layer.2'))).toEqual([]);
  });

  it('codename must be present', () => {
    expect(only(bundle().replace('      codename: pylibs\n', ''))).toMatchObject({ code: 'missing-key', path: 'items[0].identity.codename', line: 5, column: 5 });
  });

  it('codename is unique per type, reported at the second', () => {
    const second = `  - identity: {type: layer, codename: pylibs}\n    version: 2.0.0\n    images:\n${image('amd64', 'layers/linux-amd64-2.0.0.tar.gz')}`;
    const d = only(bundle('', second));
    expect(d).toMatchObject({ code: 'duplicate-codename', path: 'items[1].identity.codename', line: 14, column: 39 });
    expect(d.message).toContain('items[0] and items[1]');
  });

  it('the same codename with another type is fine', () => {
    const text = bundle('', SERVICE.replace('codename: hello', 'codename: pylibs'));
    expect(diagnostics(text)).toEqual([]);
  });

  it('version is strict SemVer', () => {
    const d = only(bundle().replace('version: 1.0.0', 'version: v1.0'));
    expect(d).toMatchObject({ code: 'invalid-semver', path: 'items[0].version', line: 8, column: 14 });
  });

  it('services and components never in one bundle, reported at the later one', () => {
    const component = `  - identity: {type: component, codename: fw}\n    version: 1.0.0\n    images:\n      - mediaType: application/vnd.aos.image.component.full.v1+gzip\n        archInfo: {architecture: arm64}\n        path: fw/full.gz\n`;
    const d = only(bundle('', SERVICE + component));
    expect(d).toMatchObject({ code: 'services-with-components', path: 'items[2].identity.type', line: 19, column: 22 });
    expect(d.message).toContain('items[1] is a service and items[2] a component');
  });

  it('configuration is for services only', () => {
    const d = only(bundle('', '    configuration:\n      cmd: x\n'));
    expect(d).toMatchObject({ code: 'configuration-not-service', path: 'items[0].configuration', line: 14, column: 5 });
  });
});

describe('images', () => {
  it('osInfo.os is an OCI os name, in lower case: Linux is refused with a suggestion', () => {
    const list = diagnostics(bundle().replace('{os: linux}', '{os: Linux}')).filter((x) => x.severity === 'error');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'invalid-os', path: 'items[0].images[0].osInfo.os', line: 12, column: 22 });
    expect(list[0].message).toContain('Did you mean linux?');
    const spaced = diagnostics(bundle().replace('{os: linux}', '{os: "my linux"}')).filter((x) => x.severity === 'error');
    expect(spaced).toMatchObject([{ code: 'invalid-os', line: 12 }]);
    expect(diagnostics(bundle().replace('        osInfo: {os: linux}\n', ''))).toEqual([]);
  });

  it('path or sourceFolder, never both: at the second key', () => {
    const d = only(bundle('        sourceFolder: rootfs\n'));
    expect(d).toMatchObject({ code: 'image-path-and-folder', path: 'items[0].images[0].sourceFolder', line: 14, column: 9 });
  });

  it('one of path and sourceFolder is required', () => {
    const d = only(bundle().replace('        path: layers/linux-amd64-1.0.0.tar.gz\n', ''));
    expect(d).toMatchObject({ code: 'image-without-path', path: 'items[0].images[0]', line: 10, column: 9 });
  });

  it('one image per (architecture, variant, os)', () => {
    const d = only(bundle(image('amd64', 'layers/pylibs-again.tar.gz')));
    expect(d).toMatchObject({ code: 'duplicate-image', path: 'items[0].images[1].archInfo.architecture', line: 15, column: 34 });
  });

  it('the same architecture for another os or variant is a different image', () => {
    const otherOs = image('amd64', 'layers/zephyr-amd64-1.0.0.tar.gz', '        osInfo: {os: zephyr}\n');
    // Not a duplicate; only the reminder that AosEdge units run Linux.
    expect(only(bundle(otherOs))).toMatchObject({ severity: 'warning', code: 'os-not-linux', line: 17, column: 22 });
  });

  it.each([
    ['x86_64', 'amd64'],
    ['x86', 'amd64'],
    ['aarch64', 'arm64'],
  ])('architecture %s gets "did you mean %s?"', (written, meant) => {
    const d = only(bundle().replace('architecture: amd64', `architecture: ${written}`).replace('linux-amd64', `linux-${written}`));
    expect(d).toMatchObject({ code: 'invalid-architecture', line: 11, column: 34 });
    expect(d.message).toContain(`Did you mean ${meant}?`);
  });

  it('an unknown architecture lists the OCI names', () => {
    const d = only(bundle().replace('architecture: amd64', 'architecture: mips').replace('linux-amd64', 'linux-mips'));
    expect(d.message).toContain('must be one of amd64, arm64, arm, any');
  });

  it('arm without a variant is a warning', () => {
    const d = only(bundle().replace('architecture: amd64', 'architecture: arm').replace('linux-amd64', 'linux-arm'));
    expect(d).toMatchObject({ severity: 'warning', code: 'arm-without-variant', line: 11, column: 34 });
    expect(diagnostics(bundle().replace('{architecture: amd64}', '{architecture: arm, variant: v7}').replace('linux-amd64', 'linux-arm'))).toEqual([]);
  });

  it('a layer media type on a layer; a component media type is refused there', () => {
    const d = only(bundle().replace('application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.aos.image.component.full.v1+gzip'));
    expect(d).toMatchObject({ code: 'invalid-media-type', path: 'items[0].images[0].mediaType', line: 10, column: 20 });
  });

  it('a component takes the component media types', () => {
    const component = `  - identity: {type: component, codename: fw}\n    version: 1.0.0\n    images:\n      - mediaType: application/vnd.aos.image.component.inc.v1+squashfs\n        archInfo: {architecture: arm64}\n        path: fw/inc.sq\n`;
    expect(diagnostics(bundle('', component))).toEqual([]);
    const d = only(bundle('', component.replace('inc.v1+squashfs', 'inc.v1+zip')));
    expect(d).toMatchObject({ code: 'invalid-media-type', line: 17, column: 20 });
  });

  it('a service built from a folder carries no media type', () => {
    const d = only(bundle('', SERVICE.replace('      - archInfo', '      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip\n        archInfo')));
    expect(d).toMatchObject({ code: 'invalid-media-type', path: 'items[1].images[0].mediaType', line: 17, column: 20 });
  });

  it('a missing media type on a layer is a warning that says which', () => {
    const d = only(bundle().replace('      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip\n        archInfo', '      - archInfo'));
    expect(d).toMatchObject({ severity: 'warning', code: 'missing-media-type', line: 10, column: 9 });
    expect(d.message).toContain('application/vnd.oci.image.layer.v1.tar+gzip');
  });

  it('a layer file name that disagrees with the version or architecture is a warning', () => {
    const version = only(bundle().replace('linux-amd64-1.0.0', 'linux-amd64-1.0.1'));
    expect(version).toMatchObject({ severity: 'warning', code: 'layer-name-mismatch', line: 13, column: 15 });
    expect(version.message).toContain('version 1.0.1 while items[0].version is 1.0.0');
    const arch = only(bundle().replace('linux-amd64-1.0.0', 'linux-arm64-1.0.0'));
    expect(arch.message).toContain('architecture arm64 while archInfo.architecture is amd64');
    // x86_64 in a name means amd64: no warning.
    expect(diagnostics(bundle().replace('linux-amd64-1.0.0', 'linux-x86_64-1.0.0'))).toEqual([]);
  });

  it('images may not be empty', () => {
    const text = bundle().replace(/ {4}images:\n[\s\S]*$/, '    images: []\n');
    expect(only(text)).toMatchObject({ code: 'no-images', line: 9, column: 13 });
  });
});

describe('dependencies', () => {
  const dep = (versions: string) => `    dependencies:\n      - identity: {type: layer, codename: base}\n        versions: ${versions}\n`;

  it.each(['">=1.0.0 <2.0.0"', '"^1.2.0"', '"1.0.0"', '"*"', '"~1.2.3 || >=3.0.0"'])('%s is a valid constraint', (versions) => {
    expect(diagnostics(bundle('', dep(versions)))).toEqual([]);
  });

  it('an invalid constraint is an error at its value', () => {
    const d = only(bundle('', dep('latest')));
    expect(d).toMatchObject({ code: 'invalid-range', path: 'items[0].dependencies[0].versions', line: 16, column: 19 });
    expect(d.message).toContain('not a SemVer constraint');
  });

  it('versions is required', () => {
    const d = only(bundle('', '    dependencies:\n      - identity: {type: layer, codename: base}\n'));
    expect(d).toMatchObject({ code: 'missing-key', path: 'items[0].dependencies[0].versions', line: 15, column: 9 });
  });
});

describe('service configuration', () => {
  const service = (configuration: string, version = '1.0.0') =>
    `schemaVersion: 2\npublish:\n  tlsKey: sp.p12\nitems:\n${SERVICE.replace('version: 1.0.0', `version: ${version}`)}    configuration:\n${configuration}`;
  // Lines: 10 is `configuration:`, 11 the first line inside it.

  it('the keys of the table are accepted', () => {
    const text = service(
      [
        '      cmd: [python3, /app.py]',
        '      workingDir: /',
        '      instances: {minInstances: 1}',
        '      quotas: {cpuLimit: 1000, ramLimit: 128MiB, storageLimit: 1GiB, stateLimit: 64Ki, tmpLimit: 1048576, noFileLimit: 1024, pidsLimit: 64}',
        '      resources: [{name: vis, mode: rw}]',
        '      layers: [pylibs]',
        '      state: {required: true}',
        '      env: [A=1]',
        '      runner: crun',
        '      hostname: hello',
        '      exposedPorts: [9000, "8089-8090/tcp"]',
        '      allowedConnections: ["backend/8080/tcp", "9931560c-be75-4f60-9abf-08297d905332/8087-8088/udp"]',
        '      offlineTTL: P1D',
        '      alertRules: {}',
        '      permissions: {vis: {"Signal.Doors.*": rw}}',
        '',
      ].join('\n'),
    );
    expect(diagnostics(text)).toEqual([]);
  });

  it('sizes are binary: a decimal unit gets "did you mean MiB?"', () => {
    const d = only(service('      quotas:\n        ramLimit: 128M\n'));
    expect(d).toMatchObject({ code: 'size-decimal-unit', path: 'items[0].configuration.quotas.ramLimit', line: 12, column: 19 });
    expect(d.message).toContain('Did you mean 128MiB?');
  });

  it('a size that is no size at all', () => {
    expect(only(service('      quotas:\n        ramLimit: lots\n'))).toMatchObject({ code: 'invalid-size', line: 12, column: 19 });
  });

  it('skipResourceLimits only for pre-release versions', () => {
    const d = only(service('      skipResourceLimits: true\n'));
    expect(d).toMatchObject({ code: 'skip-limits-release', path: 'items[0].configuration.skipResourceLimits', line: 11, column: 27 });
    expect(diagnostics(service('      skipResourceLimits: true\n', '1.0.0-beta.1'))).toEqual([]);
  });

  it('unknown configuration keys, with a suggestion', () => {
    const d = only(service('      workingdir: /\n'));
    expect(d).toMatchObject({ code: 'unknown-key', line: 11, column: 7 });
    expect(d.message).toContain("did you mean 'workingDir'?");
  });

  it('exposed ports and allowed connections are checked', () => {
    expect(only(service('      exposedPorts: [70000]\n'))).toMatchObject({ code: 'invalid-port', line: 11, column: 22 });
    expect(only(service('      allowedConnections: ["backend/8080/icmp"]\n'))).toMatchObject({ code: 'invalid-connection', line: 11, column: 28 });
  });
});

describe('text refused before parsing', () => {
  it('reports the reason and nothing else', () => {
    const { diagnostics: list } = checkDeploymentConfig('a\u0000b'.padEnd(200, '\u0000'));
    expect(list).toHaveLength(1);
    expect(list[0].code).toBe('not-utf8');
  });
});
