// The "export a layer's SBOM to a file" use-case, one for `aos-bundle layer sbom -o` and the
// app ('layers.sbom'): the document is built first, then written to a temp file and renamed,
// so a cancelled or failed export leaves no file.
import path from 'node:path';
import { fsFailure } from '../../../../shared/errors';
import { writeFileAtomic } from '../../fs/atomic-write';
import { assertReplaceableOutput } from '../../fs/output-target';
import { buildLayerSbom, type LayerSbom, type LayerSbomInput } from './layer-sbom';

export interface ExportSbomInput extends LayerSbomInput {
  outFile: string;
}

export async function exportLayerSbom(input: ExportSbomInput): Promise<LayerSbom & { path: string }> {
  const out = path.resolve(input.outFile);
  await assertReplaceableOutput(out, 'The SBOM output');
  const sbom = await buildLayerSbom(input);
  try {
    await writeFileAtomic(out, sbom.document);
  } catch (e) {
    throw fsFailure(e, 'Cannot write', out);
  }
  return { ...sbom, path: out };
}
