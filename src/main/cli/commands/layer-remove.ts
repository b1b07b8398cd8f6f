// `aos-bundle layer remove UID VERSION [--arch A] [--yes]`: the cloud's check first
// (refused, exit 1, with the dependants listed), then the files it would delete; only with
// --yes are they deleted (the confirmation names exactly those files; one use-case with the
// app: planLayerRemoval + removeLayerVersion).
import { parseArgs } from 'node:util';
import { planLayerRemoval, readCatalogState, removeLayerVersion } from '../../core/layers/catalog';
import { mapArchitecture } from '../../core/oci/platform';
import { EXIT_INVALID, EXIT_OK, UsageError } from '../io';
import { cancellation } from '../signal';
import type { LayerSubcommand } from './layer';
import { CATALOG_OPTIONS, catalogPlace } from './layer-catalog-place';

export const layerRemoveSubcommand: LayerSubcommand = {
  name: 'remove',
  summary: 'remove a layer version from the catalog, refused while a known service or bundle selects it (the last version removes the layer)',
  usage: 'aos-bundle layer remove UID VERSION [--arch A] [--os OS] [--library DIR] [--workspace DIR] [--yes]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CATALOG_OPTIONS, arch: { type: 'string' }, os: { type: 'string' }, yes: { type: 'boolean' } } });
    if (positionals.length !== 2) throw new UsageError('remove takes a layer uid and a version');
    const [uid, version] = positionals;
    const place = await catalogPlace(io, values);
    const { signal, dispose } = cancellation(io);
    try {
      let architecture = values.arch !== undefined ? mapArchitecture(values.arch).architecture : undefined;
      if (architecture === undefined) {
        // Without --arch the version must exist for one architecture only: never guess which to delete.
        const state = await readCatalogState({ ...place, signal });
        const archs = [...new Set(state.images.filter((i) => i.uid === uid && i.version === version && i.os === (values.os ?? 'linux')).map((i) => i.architecture))];
        if (archs.length > 1) throw new UsageError(`${uid} ${version} exists for ${archs.join(', ')}: say which with --arch`);
        architecture = archs[0] ?? 'amd64';
      }
      const ref = { ...place, uid, version, architecture, ...(values.os !== undefined ? { os: values.os } : {}), signal };
      const plan = await planLayerRemoval(ref);
      if (!plan.allowed) {
        io.stderr(`${plan.message}\nDependants:\n${plan.dependants.map((d) => `  ${d.kind} ${d.name}  ${d.range} (${d.architecture})  ${d.configPath}${d.line !== undefined ? `:${d.line}` : ''}\n`).join('')}`);
        return EXIT_INVALID;
      }
      const list = plan.files.map((f) => `  ${f}\n`).join('');
      if (!values.yes) {
        io.stderr(`${plan.message}\nWould delete:\n${list}Nothing deleted: run again with --yes to delete these files.\n`);
        return EXIT_INVALID;
      }
      const done = await removeLayerVersion({ ...ref, confirmedFiles: plan.files });
      io.stdout(`removed:\n${done.removed.map((f) => `  ${f}\n`).join('')}${done.removedLayer ? `layer ${uid} removed (it was its last version): ${plan.layerFolder}\n` : ''}`);
      return EXIT_OK;
    } finally {
      dispose();
    }
  },
};
