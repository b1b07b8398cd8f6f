// `aos-bundle layer sbom FILE --format cyclonedx|spdx [-o FILE]`: the layer's libraries as
// an SBOM, on stdout or written atomically to FILE. The core use-case is buildLayerSbom.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { assertReplaceableOutput } from '../../core/fs/output-target';
import { buildLayerSbom, exportLayerSbom, SBOM_FORMATS, type SbomFormat } from '../../core/layers/sbom';
import { EXIT_OK, UsageError } from '../io';
import { progressLine } from '../progress';
import { cancellation } from '../signal';
import type { LayerSubcommand } from './layer';

const isFormat = (v: string | undefined): v is SbomFormat => (SBOM_FORMATS as readonly string[]).includes(v ?? '');

export const layerSbomSubcommand: LayerSubcommand = {
  name: 'sbom',
  summary: 'write a layer image\'s libraries as a CycloneDX 1.6 or SPDX 2.3 JSON SBOM (reproducible; SOURCE_DATE_EPOCH sets its time)',
  usage: 'aos-bundle layer sbom FILE --format cyclonedx|spdx [-o FILE]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { format: { type: 'string' }, output: { type: 'string', short: 'o' } },
    });
    if (positionals.length !== 1) throw new UsageError('sbom takes one layer image file');
    if (!isFormat(values.format)) throw new UsageError(`--format must be ${SBOM_FORMATS.join(' or ')}${values.format === undefined ? '' : `, not '${values.format}'`}`);
    const output = values.output !== undefined ? resolve(io.cwd, values.output) : undefined;
    if (output) await assertReplaceableOutput(output, 'The SBOM output');
    const progress = progressLine(io);
    const { signal, dispose } = cancellation(io);
    try {
      const input = {
        path: resolve(io.cwd, positionals[0]),
        format: values.format,
        sourceDateEpoch: io.env.SOURCE_DATE_EPOCH,
        signal,
        onProgress: (p: { done: number; total: number }) => progress.update({ label: 'sbom', ...p }),
      };
      if (!output) {
        const sbom = await buildLayerSbom(input);
        progress.clear();
        io.stdout(sbom.document);
        return EXIT_OK;
      }
      const sbom = await exportLayerSbom({ ...input, outFile: output });
      progress.clear();
      io.stdout(`path: ${output}\nformat: ${values.format === 'cyclonedx' ? 'CycloneDX 1.6 JSON' : 'SPDX 2.3 JSON'}\nlayer: ${sbom.inspection.digest}\ncomponents: ${sbom.inspection.libraries.length}\n`);
      return EXIT_OK;
    } finally {
      progress.clear();
      dispose();
    }
  },
};
