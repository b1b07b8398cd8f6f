// `aos-bundle layer list [--library DIR] [--workspace DIR] [--json]`: the layer catalog, as
// the app's Layers screen shows it (one use-case: loadLayerCatalog).
import { parseArgs } from 'node:util';
import { placeText } from '../../../shared/diagnostics';
import { loadLayerCatalog, type LayerCatalog } from '../../core/layers/catalog';
import { EXIT_OK, UsageError, type CliIo } from '../io';
import { formatBytes } from '../progress';
import { cancellation } from '../signal';
import { columns } from './layer-inspect';
import { CATALOG_OPTIONS, catalogPlace } from './layer-catalog-place';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function catalogText(c: LayerCatalog): string {
  let out = `library: ${c.library}\n`;
  out += `services and bundles read: ${plural(c.consumers.services, 'service')}, ${plural(c.consumers.bundles, 'bundle')} (recent${c.workspace ? ` and under ${c.workspace}` : ''})\n`;
  out += 'selection: the highest version inside a range, per architecture (the app\'s assumption of what the cloud picks)\n';
  if (c.layers.length === 0) out += '\nNo layers: the library holds no <uid>/<os>-<arch>-<version>.tar.gz.\n';
  for (const l of c.layers) {
    out += `\n${l.uid}  ${plural(l.versions.length, 'version')}  ${l.architectures.join(', ')}  ${plural(l.dependants, 'dependant')}\n`;
    out += columns(l.versions.map((v) => [v.version, `${v.os}/${v.architecture}`, formatBytes(v.size), v.dependants === 0 ? 'no dependants' : `selected by ${plural(v.dependants, 'dependant')}`]));
  }
  if (c.problems.length) out += `\nProblems:\n${c.problems.map((p) => `  ${placeText(p)}: ${p.message}\n`).join('')}`;
  return out;
}

export async function runLayerList(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CATALOG_OPTIONS, json: { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError(`list takes no arguments (got '${positionals[0]}')`);
  const place = await catalogPlace(io, values);
  const { signal, dispose } = cancellation(io);
  try {
    const catalog = await loadLayerCatalog({ ...place, signal });
    io.stdout(values.json ? `${JSON.stringify(catalog, null, 2)}\n` : catalogText(catalog));
    return EXIT_OK;
  } finally {
    dispose();
  }
}
