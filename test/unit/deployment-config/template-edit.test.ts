// The commented template validates clean; edits keep every comment and byte they do not touch.
import {
  addDeploymentDependency,
  addDeploymentImage,
  addDeploymentItem,
  checkDeploymentConfig,
  deploymentTemplate,
  duplicateDeploymentItem,
  removeDeploymentImage,
  removeDeploymentItem,
  setDeploymentValue,
  typedDeploymentConfig,
  parseDeploymentConfig,
} from '../../../src/shared/deployment-config';
import { bundle } from './helpers';

const clean = (text: string) => expect(checkDeploymentConfig(text).diagnostics).toEqual([]);

describe('deploymentTemplate', () => {
  it('the default (a layer) parses and validates clean, with its comments', () => {
    const text = deploymentTemplate();
    clean(text);
    expect(text).toContain('# service | layer | component');
    expect(text).toContain('#dependencies:');
    expect(typedDeploymentConfig(parseDeploymentConfig(text))?.items[0]).toMatchObject({
      identity: { type: 'layer', codename: 'my-layer' },
      version: '1.0.0',
      images: [{ archInfo: { architecture: 'amd64' }, path: 'my-layer/linux-amd64-1.0.0.tar.gz' }],
    });
  });

  it.each(['service', 'layer', 'component'] as const)('a %s template validates clean', (type) => {
    clean(deploymentTemplate({ type }));
  });

  it('the wizard options: two architectures, a parent layer, title and publisher', () => {
    const text = deploymentTemplate({
      codename: 'pylibs',
      title: 'Python libraries: extra',
      description: 'numpy\nand more',
      version: '1.2.0-rc.1',
      author: 'Jane Doe',
      company: 'Example Motors',
      domain: 'example.aoscloud.io',
      images: [
        { architecture: 'amd64', path: 'layers/linux-amd64-1.2.0-rc.1.tar.gz' },
        { architecture: 'arm', variant: 'v7', path: 'layers/linux-armv7-1.2.0-rc.1.tar.gz' },
      ],
      dependencies: [{ type: 'layer', codename: 'base-python', versions: '>=1.0.0 <2.0.0' }],
    });
    clean(text);
    const typed = typedDeploymentConfig(parseDeploymentConfig(text))!;
    expect(typed.publisher).toEqual({ author: 'Jane Doe', company: 'Example Motors' });
    expect(typed.publish.domain).toBe('example.aoscloud.io');
    expect(typed.items[0].identity.title).toBe('Python libraries: extra');
    expect(typed.items[0].identity.description).toBe('numpy and more');
    expect(typed.items[0].images[1].archInfo).toEqual({ architecture: 'arm', variant: 'v7' });
    expect(typed.items[0].dependencies).toEqual([{ identity: { type: 'layer', codename: 'base-python' }, versions: '>=1.0.0 <2.0.0' }]);
  });

  it('a codename or path that needs quotes is quoted, not broken', () => {
    const text = deploymentTemplate({ codename: 'yes', images: [{ architecture: 'amd64', path: 'a: b.tar.gz' }] });
    const typed = typedDeploymentConfig(parseDeploymentConfig(text))!;
    expect(typed.items[0].identity.codename).toBe('yes');
    expect(typed.items[0].images[0].path).toBe('a: b.tar.gz');
  });

  it('a service template has its configuration and no media type', () => {
    const text = deploymentTemplate({ type: 'service', codename: 'hello', cmd: 'python3 /app.py' });
    clean(text);
    const typed = typedDeploymentConfig(parseDeploymentConfig(text))!;
    expect(typed.items[0].images[0]).toEqual({ archInfo: { architecture: 'amd64' }, osInfo: { os: 'linux' }, sourceFolder: 'hello/amd64' });
    expect(typed.items[0].configuration).toEqual({ cmd: 'python3 /app.py', workingDir: '/' });
  });
});

describe('comment-preserving edits', () => {
  const commented = `# my bundle
schemaVersion: 2   # v2
publish:
  tlsKey: aos-user-oem.p12   # the OEM certificate
items:
  # the layer
  - identity:
      type: layer       # kind
      codename: pylibs  # cloud name
    version: 1.0.0      # bump me
    images:
      # x86 first
      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo: {architecture: amd64}
        path: layers/linux-amd64-1.0.0.tar.gz   # built by yocto
# the end
`;
  const comments = (text: string) => text.split('\n').filter((l) => l.includes('#')).map((l) => l.slice(l.indexOf('#')));

  it('setting a value changes only that value', () => {
    const out = setDeploymentValue(commented, ['items', 0, 'version'], '1.1.0');
    expect(out).toBe(commented.replace('version: 1.0.0      # bump me', 'version: 1.1.0      # bump me'));
  });

  it('removing a value removes its line only', () => {
    const out = setDeploymentValue(commented, ['items', 0, 'version'], undefined);
    expect(out).toBe(commented.replace('    version: 1.0.0      # bump me\n', ''));
  });

  it('adding an image keeps every comment and validates', () => {
    const out = addDeploymentImage(commented, 0, {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      archInfo: { architecture: 'arm64' },
      path: 'layers/linux-arm64-1.0.0.tar.gz',
    });
    expect(comments(out)).toEqual(comments(commented));
    expect(out.startsWith(commented.slice(0, commented.indexOf('# the end')))).toBe(true);
    clean(out);
    expect(typedDeploymentConfig(parseDeploymentConfig(out))!.items[0].images.map((i) => i.archInfo.architecture)).toEqual(['amd64', 'arm64']);
  });

  it('duplicating an item copies it as written (comments too), renamed', () => {
    const out = duplicateDeploymentItem(commented, 0, 'pylibs-2');
    clean(out);
    const typed = typedDeploymentConfig(parseDeploymentConfig(out))!;
    expect(typed.items.map((i) => i.identity.codename)).toEqual(['pylibs', 'pylibs-2']);
    expect(out.split('# built by yocto').length).toBe(3);
    // The comment keeps its column as far as the longer value allows.
    expect(out).toContain('codename: pylibs-2 # cloud name');
  });

  it('duplicating without a new name is reported as a duplicate codename', () => {
    const out = duplicateDeploymentItem(commented, 0);
    expect(checkDeploymentConfig(out).diagnostics.map((d) => d.code)).toEqual(['duplicate-codename']);
  });

  it('adding and removing an item', () => {
    const added = addDeploymentItem(commented, {
      identity: { type: 'layer', codename: 'base' },
      version: '2.0.0',
      images: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', archInfo: { architecture: 'amd64' }, path: 'base/linux-amd64-2.0.0.tar.gz' }],
    });
    clean(added);
    expect(comments(added)).toEqual(comments(commented));
    expect(typedDeploymentConfig(parseDeploymentConfig(added))!.items[1].identity.codename).toBe('base');
    const removed = removeDeploymentItem(added, 1);
    expect(removed).toBe(commented);
  });

  it('removing an image and adding a dependency', () => {
    const two = addDeploymentImage(bundle(), 0, { archInfo: { architecture: 'arm64' }, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', path: 'layers/linux-arm64-1.0.0.tar.gz' });
    expect(removeDeploymentImage(two, 0, 1)).toBe(bundle());
    const dep = addDeploymentDependency(bundle(), 0, { identity: { type: 'layer', codename: 'base' }, versions: '>=1.0.0 <2.0.0' });
    clean(dep);
    expect(typedDeploymentConfig(parseDeploymentConfig(dep))!.items[0].dependencies).toEqual([{ identity: { type: 'layer', codename: 'base' }, versions: '>=1.0.0 <2.0.0' }]);
  });

  it('adds the first item to an empty list', () => {
    const out = addDeploymentItem('schemaVersion: 2\npublish:\n  tlsKey: k.p12\nitems: []\n', {
      identity: { type: 'layer', codename: 'a' },
      version: '1.0.0',
      images: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', archInfo: { architecture: 'any' }, path: 'a.tar.gz' }],
    });
    clean(out);
  });

  it('refuses to edit a text with YAML syntax errors, saying why', () => {
    expect(() => duplicateDeploymentItem('items: [\n', 0)).toThrow(/fix the YAML syntax errors first/);
  });
});
