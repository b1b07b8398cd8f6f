import { checkDeploymentConfig, locate, parseDeploymentConfig, typedDeploymentConfig } from '../../../src/shared/deployment-config';

const TEXT = `# a layer bundle
schemaVersion: 2
publish:
  tlsKey: aos-user-oem.p12
items:
  - identity:
      type: layer
      codename: pylibs
    version: 1.0.0
    images:
      - mediaType: application/vnd.oci.image.layer.v1.tar+gzip
        archInfo: {architecture: amd64}
        osInfo: {os: linux}
        path: aos-pylibs-layer/linux-amd64-1.0.0.tar.gz
`;

describe('parseDeploymentConfig', () => {
  it('parses with positions, the same shape as the service config', () => {
    const parsed = parseDeploymentConfig(TEXT);
    expect(parsed.syntax).toEqual([]);
    expect(locate(parsed, ['items', 0, 'images', 0, 'archInfo', 'architecture'])).toMatchObject({ line: 12, column: 34 });
    expect(locate(parsed, ['items', 0, 'identity', 'codename'], 'key')).toMatchObject({ line: 8, column: 7 });
  });

  it('reports YAML syntax errors with line and column', () => {
    const { diagnostics } = checkDeploymentConfig('schemaVersion: 2\nitems: [\n');
    const syntax = diagnostics.find((d) => d.code === 'yaml-syntax');
    expect(syntax).toMatchObject({ severity: 'error', line: 3, column: 1 });
  });
});

describe('a config with a YAML syntax error', () => {
  it('reports only the syntax errors, with line and column: no rule errors from a document the parser could not read', () => {
    // A map key with a stray space of indentation (line 4): before, the rules also said
    // "publish.tlsKey must be a string" and "items is empty" of the recovered document.
    const text = 'schemaVersion: 2\npublish:\n  tlsKey: a.p12\n   bad: : x\nitems: []\n';
    const { diagnostics } = checkDeploymentConfig(text);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'yaml-syntax'), JSON.stringify(diagnostics, null, 1)).toBe(true);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', line: 3, column: 11 });
    // An unclosed flow list of items: syntax only, no "items[0] must be a map".
    const unclosed = checkDeploymentConfig(TEXT.replace('items:', 'items: [\n')).diagnostics;
    expect(unclosed.map((d) => d.code)).toEqual(unclosed.map(() => 'yaml-syntax'));
  });
});

describe('typedDeploymentConfig', () => {
  it('gives the typed view of a config without errors', () => {
    const typed = typedDeploymentConfig(parseDeploymentConfig(TEXT));
    expect(typed?.items[0].identity).toEqual({ type: 'layer', codename: 'pylibs' });
    expect(typed?.items[0].images[0].archInfo.architecture).toBe('amd64');
  });

  it('gives nothing for a config with errors', () => {
    expect(typedDeploymentConfig(parseDeploymentConfig(TEXT.replace('schemaVersion: 2', 'schemaVersion: 1')))).toBeUndefined();
    expect(typedDeploymentConfig(parseDeploymentConfig('schemaVersion: 2\nitems: [\n'))).toBeUndefined();
  });
});

describe('schemaVersion', () => {
  it('must be 2, at the value', () => {
    const d = checkDeploymentConfig(TEXT.replace('schemaVersion: 2', 'schemaVersion: 1')).diagnostics;
    expect(d).toEqual([expect.objectContaining({ code: 'invalid-schema-version', line: 2, column: 16 })]);
  });

  it('a quoted "2" is told to be a number', () => {
    const d = checkDeploymentConfig(TEXT.replace('schemaVersion: 2', 'schemaVersion: "2"')).diagnostics;
    expect(d[0].message).toContain('without quotes');
  });

  it('missing is reported where the document begins', () => {
    const d = checkDeploymentConfig(TEXT.replace('schemaVersion: 2\n', '')).diagnostics;
    expect(d[0]).toMatchObject({ code: 'missing-schema-version', line: 2, column: 1 });
  });
});
