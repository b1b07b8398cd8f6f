import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SERVICES } from '../../support/shared-fixtures';
import {
  checkServiceConfig,
  getConfigValue,
  parseServiceConfig,
  renderServiceConfigTemplate,
  setConfigValue,
} from '../../../src/shared/service-config';
import { changedLines, config } from './helpers';

const fixture = (name: string) => readFileSync(path.join(DEMO_SERVICES, name, 'meta', 'config.yaml'), 'utf8');
const valueOf = (text: string, path: (string | number)[]) => getConfigValue(parseServiceConfig(text).value, path);

describe('setConfigValue', () => {
  it('changes only the version line of a real config and keeps its quoting', () => {
    const before = fixture('cpu_load');
    const after = setConfigValue(before, ['publish', 'version'], '1.2.0');
    expect(changedLines(before, after)).toEqual({ removed: ['    version: "1.0.0"'], added: ['    version: "1.2.0"'] });
  });

  it('keeps single quotes and the column of a trailing comment', () => {
    const before = "a:\n    b: 'x'    # note\n    c: 1\n";
    expect(setConfigValue(before, ['a', 'b'], 'xyz')).toBe("a:\n    b: 'xyz'  # note\n    c: 1\n");
    expect(setConfigValue(before, ['a', 'c'], 2)).toBe("a:\n    b: 'x'    # note\n    c: 2\n");
  });

  it('quotes strings that would read back as numbers or booleans', () => {
    const before = 'publish:\n    version: 1.0.0\n';
    expect(setConfigValue(before, ['publish', 'version'], '1.0')).toBe('publish:\n    version: "1.0"\n');
    expect(setConfigValue(before, ['publish', 'version'], 'true')).toBe('publish:\n    version: "true"\n');
    expect(setConfigValue(before, ['publish', 'version'], 'yes')).toBe('publish:\n    version: "yes"\n');
    expect(setConfigValue(before, ['publish', 'version'], '2.0.0')).toBe('publish:\n    version: 2.0.0\n');
    const edited = setConfigValue(before, ['publish', 'version'], '1.0');
    expect(valueOf(edited, ['publish', 'version'])).toBe('1.0');
  });

  it('fills an empty service_uid without moving its comment', () => {
    const before = fixture('kuksa-test-client');
    const after = setConfigValue(before, ['publish', 'service_uid'], '2efd1506-564e-40de-9466-66ae7a25fac0');
    expect(changedLines(before, after)).toEqual({
      removed: ['    service_uid: # Service UID can be found on the Cloud service details page (Required)'],
      added: ['    service_uid: 2efd1506-564e-40de-9466-66ae7a25fac0 # Service UID can be found on the Cloud service details page (Required)'],
    });
    expect(checkServiceConfig(after).diagnostics).toEqual([]);
  });

  it('fills an empty value in front of an aligned comment without moving the comment', () => {
    expect(setConfigValue('a:\n    b:          # c\n', ['a', 'b'], 'xyz')).toBe('a:\n    b: xyz      # c\n');
  });

  it('fills `key:` followed by nothing, and by a trailing space', () => {
    expect(setConfigValue('a:\n    b:\n', ['a', 'b'], 'x')).toBe('a:\n    b: x\n');
    expect(setConfigValue('a:\n    b: \n', ['a', 'b'], 'x')).toBe('a:\n    b: x\n');
  });

  it('adds a missing version under publish, after the last key and before the next section', () => {
    const before = fixture('ram_consumer');
    const after = setConfigValue(before, ['publish', 'version'], '1.0.0');
    expect(changedLines(before, after)).toEqual({ removed: [], added: ['    version: 1.0.0'] });
    expect(after).toContain('    tls_pkcs12: aos-user-sp.p12\n    version: 1.0.0\n\n# Service configuration');
    expect(checkServiceConfig(after).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('creates configuration.layers when only a commented-out block exists', () => {
    const before = fixture('cpu_load');
    const layers = [{ uid: 'aos-pylibs-layer', minVersion: '1.0.0', maxVersion: '2.0.0' }];
    const after = setConfigValue(before, ['configuration', 'layers'], layers);
    expect(changedLines(before, after)).toEqual({
      removed: [],
      added: ['    layers:', '        - uid: aos-pylibs-layer', '          minVersion: 1.0.0', '          maxVersion: 2.0.0'],
    });
    // It lands just above the platform's commented example (`#    layers:`), not after workingDir.
    expect(after).toContain("          maxVersion: 2.0.0\n#    layers:\n#       - 'layer_uid'");
    expect(valueOf(after, ['configuration', 'layers'])).toEqual(layers);
    expect(checkServiceConfig(after).diagnostics).toEqual([]);
  });

  it('places a new key above its own commented example, not above a deeper one of the same name', () => {
    // kuksa-test-client comments `state` twice: inside the quotas example (`    #        state:`)
    // and as the configuration key at the end (`#    state:`).
    const before = fixture('kuksa-test-client');
    const after = setConfigValue(before, ['configuration', 'state'], { filename: 'state.dat', required: true });
    expect(changedLines(before, after)).toEqual({
      removed: [],
      added: ['    state:', '        filename: state.dat', '        required: true'],
    });
    expect(after).toContain('# State configuration:\n    state:\n        filename: state.dat\n        required: true\n#    state:\n');
    expect(valueOf(after, ['configuration', 'state'])).toEqual({ filename: 'state.dat', required: true });
  });

  it('falls back to after the last key of the section when no example of the key is there', () => {
    const before = config('    # runtime\n    #runner: crun\n');
    const after = setConfigValue(before, ['configuration', 'hostname'], 'box');
    expect(after).toBe(before.replace('    workingDir: /\n', '    workingDir: /\n    hostname: box\n'));
    const withRunner = setConfigValue(before, ['configuration', 'runner'], 'runc');
    expect(withRunner).toBe(before.replace('    #runner: crun\n', '    runner: runc\n    #runner: crun\n'));
  });

  it('creates a missing parent map', () => {
    const before = config();
    const after = setConfigValue(before, ['configuration', 'runParameters', 'startBurst'], 5);
    expect(after).toBe(`${before}    runParameters:\n        startBurst: 5\n`);
  });

  it('creates a missing top-level section at the end of the file', () => {
    const before = `${config()}# trailing comment\n`;
    const after = setConfigValue(before, ['publisher', 'author'], 'Jane Doe');
    expect(after).toBe(`${before}publisher:\n    author: Jane Doe\n`);
  });

  it('turns a scalar into a list and back, keeping the key comment', () => {
    const before = 'configuration:\n    cmd: run # start\n    workingDir: /\n';
    const list = setConfigValue(before, ['configuration', 'cmd'], ['python3', '-u', 'app.py']);
    expect(list).toBe('configuration:\n    cmd: # start\n        - python3\n        - -u\n        - app.py\n    workingDir: /\n');
    expect(setConfigValue(list, ['configuration', 'cmd'], 'run')).toBe('configuration:\n    cmd: run # start\n    workingDir: /\n');
  });

  it('replaces a block list in place, keeping the comments around it', () => {
    const before = fixture('kuksa-test-client');
    const after = setConfigValue(before, ['configuration', 'resources'], ['kuksa', 'vis']);
    expect(changedLines(before, after)).toEqual({ removed: [], added: ['        - vis'] });
  });

  it('appends to, edits inside, and deletes from a list', () => {
    let text = config('    layers:\n        - uid: a\n          minVersion: 1.0.0\n');
    text = setConfigValue(text, ['configuration', 'layers', 1], 'bare-uid');
    expect(text.endsWith('          minVersion: 1.0.0\n        - bare-uid\n')).toBe(true);
    text = setConfigValue(text, ['configuration', 'layers', 0, 'maxVersion'], '2.0.0');
    expect(text.endsWith('          minVersion: 1.0.0\n          maxVersion: 2.0.0\n        - bare-uid\n')).toBe(true);
    text = setConfigValue(text, ['configuration', 'layers', 1], undefined);
    expect(text).toBe(config('    layers:\n        - uid: a\n          minVersion: 1.0.0\n          maxVersion: 2.0.0\n'));
    text = setConfigValue(text, ['configuration', 'layers', 0, 'minVersion'], undefined);
    expect(text).toBe(config('    layers:\n        - uid: a\n          maxVersion: 2.0.0\n'));
  });

  it('deletes a key and its value lines only', () => {
    const before = config('    quotas: # limits\n        mem: 8M\n        cpu: 50\n    hostname: h\n');
    expect(setConfigValue(before, ['configuration', 'quotas'], undefined)).toBe(config('    hostname: h\n'));
    expect(setConfigValue(before, ['configuration', 'quotas', 'mem'], undefined)).toBe(
      config('    quotas: # limits\n        cpu: 50\n    hostname: h\n'),
    );
    expect(setConfigValue(before, ['configuration', 'nothing'], undefined)).toBe(before);
  });

  it('edits flow collections in flow style', () => {
    const before = 'configuration:\n    runners: [crun, runc]\n';
    expect(setConfigValue(before, ['configuration', 'runners', 2], 'xrun')).toBe('configuration:\n    runners: [crun, runc, xrun]\n');
    expect(setConfigValue(before, ['configuration', 'runners', 0], undefined)).toBe('configuration:\n    runners: [runc]\n');
  });

  it('adds a layer to the rendered template and keeps every template comment', () => {
    const before = renderServiceConfigTemplate();
    let after = setConfigValue(before, ['configuration', 'layers'], [{ uid: 'aos-pylibs-layer', minVersion: '1.0.0', maxVersion: '2.0.0' }]);
    after = setConfigValue(after, ['configuration', 'layers', 1], { uid: 'other', minVersion: '1.2.0', maxVersion: '1.2.0' });
    after = setConfigValue(after, ['publish', 'service_uid'], '9931560c-be75-4f60-9abf-08297d905332');
    after = setConfigValue(after, ['publish', 'version'], '1.1.0');
    const comments = (t: string) => t.split('\n').filter((l) => l.trim().startsWith('#')).map((l) => l.trim());
    expect(comments(after)).toEqual(comments(before));
    const layerBlock = [
      '    layers:',
      '        - uid: aos-pylibs-layer',
      '          minVersion: 1.0.0',
      '          maxVersion: 2.0.0',
      '        - uid: other',
      '          minVersion: 1.2.0',
      '          maxVersion: 1.2.0',
      '',
    ].join('\n');
    // The new key lands just above the template's commented example of it.
    expect(after).toContain(`${layerBlock}    #layers:`);
    expect(after).toContain('    service_uid: 9931560c-be75-4f60-9abf-08297d905332 # the service id');
    // Take the layers out again and undo the two one-line edits: the rest is byte-identical.
    const restored = after
      .replace(layerBlock, '')
      .replace('service_uid: 9931560c-be75-4f60-9abf-08297d905332 #', 'service_uid:             #')
      .replace('version: "1.1.0"', 'version: "1.0.0"');
    expect(restored).toBe(before);
    expect(after).toContain('    version: "1.1.0"         # strict SemVer 2.0.0');
    expect(checkServiceConfig(after).diagnostics).toEqual([]);
  });

  it('refuses to edit text with syntax errors', () => {
    expect(() => setConfigValue('a: [\n', ['a'], 1)).toThrow(/syntax/);
  });
});

describe('getConfigValue', () => {
  const value = { configuration: { layers: [{ uid: 'a' }, 'b'], quotas: null } };
  it('walks maps and lists', () => {
    expect(getConfigValue(value, ['configuration', 'layers', 0, 'uid'])).toBe('a');
    expect(getConfigValue(value, ['configuration', 'layers', 1])).toBe('b');
    expect(getConfigValue(value, ['configuration', 'quotas'])).toBeNull();
  });
  it('returns undefined for missing paths', () => {
    expect(getConfigValue(value, ['configuration', 'layers', 5])).toBeUndefined();
    expect(getConfigValue(value, ['configuration', 'quotas', 'mem'])).toBeUndefined();
    expect(getConfigValue(value, ['configuration', 'toString'])).toBeUndefined();
    expect(getConfigValue(undefined, ['a'])).toBeUndefined();
  });
});
