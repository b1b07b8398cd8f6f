// A bundle's layer dependency names a codename, the item's identity in the cloud
// (deployment-bundle.md §2), which need not be the catalog uid: the spec's own example
// uploads codename `pylibs` from `aos-pylibs-layer/linux-amd64-1.0.0.tar.gz`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codenameIndex, layerDependants, loadLayerCatalog, planLayerRemoval } from '../../../src/main/core/layers/catalog';
import { cli } from '../cli/helpers';
import { bundle } from '../deployment-config/helpers';
import { layerImage, put } from './catalog-fixture';

/** The layer bundle of deployment-bundle.md §2, as the spec writes it (its images in aos-pylibs-layer/). */
const LAYER_BUNDLE = bundle('', '', 'aos-pylibs-layer/linux-amd64-1.0.0.tar.gz');

const serviceBundle = (codename: string, versions = '>=1.0.0 <2.0.0') => `schemaVersion: 2
publish:
  tlsKey: aos-user-sp.p12
items:
  - identity:
      type: service
      codename: web
    version: 1.0.0
    images:
      - archInfo: {architecture: amd64}
        sourceFolder: web/amd64
    dependencies:
      - identity: {type: layer, codename: ${codename}}
        versions: "${versions}"
`;

describe('layer dependencies are matched by codename, not by catalog uid', () => {
  let root: string;
  let library: string;
  let workspace: string;
  beforeEach(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'layer-codenames-'));
    library = path.join(root, 'library');
    workspace = path.join(root, 'work');
    const img = await layerImage();
    for (const rel of ['aos-pylibs-layer/linux-amd64-1.0.0.tar.gz', 'aos-pylibs-layer/linux-amd64-1.5.0.tar.gz', 'base/linux-amd64-0.1.0.tar.gz']) put(library, rel, img);
    put(workspace, 'pylibs-bundle/config.yaml', LAYER_BUNDLE);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const ref = (uid: string, version: string) => ({ library, workspace, uid, version, architecture: 'amd64' });

  it("resolves a codename to the catalog layer whose folder a known layer item of that codename packs (the spec's example)", async () => {
    put(workspace, 'web-bundle/config.yaml', serviceBundle('pylibs'));
    // pylibs is the codename, aos-pylibs-layer the uid: the highest version in range is 1.5.0.
    expect(await layerDependants(ref('aos-pylibs-layer', '1.5.0'))).toEqual([expect.objectContaining({ kind: 'bundle', name: 'web', range: '1.0.0 ≤ v < 2.0.0' })]);
    const plan = await planLayerRemoval(ref('aos-pylibs-layer', '1.5.0'));
    expect(plan.allowed).toBe(false);
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.problems).toEqual([]);
    expect(cat.layers.find((l) => l.uid === 'aos-pylibs-layer')!.dependants).toBe(1);
    // The index the range pickers of a bundle resolve a codename with.
    expect(cat.codenames).toEqual({ base: ['base'], pylibs: ['aos-pylibs-layer'] });
  });

  it('a catalog layer no known item claims keeps its folder name as its codename; a claimed one does not', async () => {
    expect(codenameIndex(['aos-pylibs-layer', 'base'], [{ codename: 'pylibs', configPath: '/b/config.yaml', folders: ['aos-pylibs-layer'] }])).toEqual(
      new Map([
        ['pylibs', ['aos-pylibs-layer']],
        ['base', ['base']],
      ]),
    );
    put(workspace, 'web-bundle/config.yaml', serviceBundle('base', '>=0.1.0 <1.0.0'));
    expect(await layerDependants(ref('base', '0.1.0'))).toEqual([expect.objectContaining({ name: 'web' })]);
  });

  it('names the file, line, column and field of a codename that matches no catalog layer, with the codenames known', async () => {
    const config = put(workspace, 'web-bundle/config.yaml', serviceBundle('aos-pylibs-layer'));
    const cat = await loadLayerCatalog({ library, workspace });
    expect(cat.problems).toEqual([
      {
        file: config,
        line: 13,
        column: 43,
        field: 'items[0].dependencies[0].identity.codename',
        message: expect.stringContaining("items[0].dependencies[0].identity.codename 'aos-pylibs-layer' names no layer of the catalog"),
      },
    ]);
    expect(cat.problems[0].message).toContain('codenames known: base, pylibs');
    // The folder name is not the codename once a layer item says otherwise: no dependant.
    expect(await layerDependants(ref('aos-pylibs-layer', '1.5.0'))).toEqual([]);
  });

  it('suggests the near codename, and `layer list` prints the problem at file:line:column', async () => {
    const config = put(workspace, 'web-bundle/config.yaml', serviceBundle('pylib'));
    const r = await cli(['layer', 'list', '--library', library, '--workspace', workspace], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${config}:13:43: items[0].dependencies[0].identity.codename 'pylib' names no layer of the catalog`);
    expect(r.stdout).toContain('Did you mean pylibs?');
  });
});
