// Handlers for the Layers screen (issue 10): each parses nothing beyond the contract and
// calls the one core use-case the CLI calls too (core/layers/catalog, core/layers/sbom).
// Dependants are the recent services and bundles plus the workspace the call names.
// An SBOM goes to a new file, or over one only with the save dialog's grant for it.
import { addLayerToCatalog, layerDependants, layerFacts, loadLayerCatalog, planLayerRemoval, removeLayerVersion } from '../core/layers/catalog';
import { resolveNewOrGrantedOutput } from '../core/fs/output-target';
import { WriteGrants } from '../core/fs/write-grants';
import { exportLayerSbom } from '../core/layers/sbom';
import type { RecentServices } from '../core/settings/recent-services';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type LayerChannels = 'layers.catalog' | 'layers.dependants' | 'layers.inspect' | 'layers.removePlan' | 'layers.remove' | 'layers.sbom' | 'layers.add';

export function createLayerHandlers(jobs: JobRegistry, resolvePath: (p: string) => string, recent: RecentServices, grants: WriteGrants = new WriteGrants(), env: NodeJS.ProcessEnv = process.env): Pick<Handlers, LayerChannels> {
  const place = (input: { library: string; workspace?: string }) => ({
    library: resolvePath(input.library),
    ...(input.workspace !== undefined ? { workspace: resolvePath(input.workspace) } : {}),
  });
  return {
    'layers.catalog': async (input) => {
      const where = place(input);
      const known = await recent.list();
      const { jobId } = jobs.start('layers.catalog', (signal, report) =>
        loadLayerCatalog({ ...where, recent: known, signal, onProgress: (p) => report(p) }),
      );
      return { jobId };
    },
    'layers.dependants': async (input) => ({ dependants: await layerDependants({ ...input, ...place(input), recent: await recent.list() }) }),
    'layers.inspect': async ({ path }) => {
      const file = resolvePath(path);
      const { jobId } = jobs.start('layers.inspect', (signal, report) => layerFacts(file, { signal, onProgress: (p) => report({ phase: 'inspect', ...p }) }));
      return { jobId };
    },
    'layers.removePlan': async (input) => planLayerRemoval({ ...input, ...place(input), recent: await recent.list() }),
    'layers.remove': async (input) => removeLayerVersion({ ...input, ...place(input), confirmedFiles: input.confirmedFiles.map(resolvePath), recent: await recent.list() }),
    'layers.sbom': async ({ path, format, outFile, outGrant }) => {
      // Never over a file the user did not choose in the save dialog (the CLI's --out writes anywhere).
      const out = await resolveNewOrGrantedOutput(resolvePath(outFile), outGrant, grants, 'The SBOM output');
      const { jobId } = jobs.start('layers.sbom', async (signal, report) => {
        const sbom = await exportLayerSbom({
          path: resolvePath(path),
          format,
          outFile: out,
          sourceDateEpoch: env.SOURCE_DATE_EPOCH,
          signal,
          onProgress: (p) => report({ phase: 'sbom', ...p }),
        });
        return { path: sbom.path, format, digest: sbom.inspection.digest ?? '', components: sbom.inspection.libraries.length };
      });
      return { jobId };
    },
    'layers.add': async ({ library, uid, file }) => addLayerToCatalog({ library: resolvePath(library), uid, file: resolvePath(file) }),
  };
}
