// `aos-bundle layer inspect FILE|DIR [--json]`: what a layer image (or folder) holds, with
// the source of every library fact. The core use-case is inspectLayer, as in the app.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { inspectLayer, type LayerInspection } from '../../core/layers/inspect';
import { EXIT_OK, UsageError } from '../io';
import { formatBytes, progressLine } from '../progress';
import { cancellation } from '../signal';
import type { LayerSubcommand } from './layer';

const FORMS: Record<LayerInspection['form'], string> = {
  'oci-layer': 'OCI layer',
  legacy: 'legacy layer (metadata.json + the layer tar named by its digest)',
  folder: 'folder',
};

const sizeText = (n: number) => (n < 1024 ? `${n} bytes` : `${n} bytes (${formatBytes(n)})`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function columns(rows: string[][], indent = '  '): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`).join('');
}

export function inspectionText(r: LayerInspection): string {
  let out = `layer: ${r.source}\nform: ${FORMS[r.form]}${r.mediaType ? ` (${r.mediaType})` : ''}\n`;
  if (r.digest) out += `digest: ${r.digest}\n`;
  if (r.size !== undefined) out += `size: ${sizeText(r.size)}\n`;
  if (r.diffId) out += `diff_id: ${r.diffId}\n`;
  if (r.tarSize !== undefined) out += `tar size: ${sizeText(r.tarSize)}\n`;
  if (r.platform) {
    const p = r.platform;
    const bits = [[p.os, p.architecture].filter(Boolean).join('/'), p.version && `version ${p.version}`, p.osVersion && `OS version ${p.osVersion}`].filter(Boolean);
    out += `platform: ${bits.join(', ')} (from ${p.from === 'file-name' ? 'the file name' : 'metadata.json'})\n`;
  }
  if (r.layerId) out += `layer id: ${r.layerId}\n`;
  if (r.parent) out += `parent: ${[r.parent.id, r.parent.digest].filter(Boolean).join(' ')} (parrentLayerId)\n`;
  if (r.osRelease) out += `os-release: ${[r.osRelease.id, r.osRelease.versionId].filter(Boolean).join(' ')} (${r.osRelease.source})\n`;

  out += `\nFiles: ${plural(r.files.count, 'file')}, ${sizeText(r.files.bytes)}\n`;
  if (r.files.folders.length) {
    out += columns(
      r.files.folders.map((f) => [
        f.name === '.' ? './' : `${f.name}/`,
        plural(f.files, 'file'),
        formatBytes(f.bytes),
        [f.directories && plural(f.directories, 'folder'), f.symlinks && plural(f.symlinks, 'symlink'), f.other && `${f.other} other`].filter(Boolean).join(', '),
      ]),
    );
  }
  out += `\nWhiteouts: ${r.whiteouts.length}${r.whiteoutsTruncated ? ' (more not listed)' : ''}\n`;
  if (r.whiteouts.length) {
    out += columns(r.whiteouts.map((w) => [w.path, w.kind === 'opaque' ? `makes ${w.hides}/ opaque` : w.kind === 'whiteout' ? `hides ${w.hides}` : 'overlayfs whiteout device (not allowed in an image)']));
  }
  out += `\nLibraries: ${r.libraries.length}${r.librariesTruncated ? ' (more not listed)' : ''}\n`;
  if (r.libraries.length) {
    out += columns([['NAME', 'VERSION', 'KIND', 'SOURCE'], ...r.libraries.map((l) => [l.name, l.version, l.kind, `${l.source}${l.soname ? ` (soname ${l.soname})` : ''}`])]);
  }
  out += `\nOS features: ${r.osFeatures.length ? r.osFeatures.join(', ') : '(none)'}\n`;
  if (r.problems.length) out += `\nProblems:\n${r.problems.map((p) => `  ${p}\n`).join('')}`;
  return out;
}

export const layerInspectSubcommand: LayerSubcommand = {
  name: 'inspect',
  summary: 'show what a layer image or folder holds: digest, diff_id, platform, parent, files, whiteouts, libraries with versions and their sources',
  usage: 'aos-bundle layer inspect FILE|DIR [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('inspect takes one layer image file or folder');
    const progress = progressLine(io);
    const { signal, dispose } = cancellation(io);
    let report: LayerInspection;
    try {
      report = await inspectLayer({ path: resolve(io.cwd, positionals[0]), signal, onProgress: (p) => progress.update({ label: 'inspect', ...p }) });
    } finally {
      progress.clear();
      dispose();
    }
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : inspectionText(report));
    // Problems are findings about the layer (a skipped file, a digest mismatch), not a failed read.
    if (report.problems.length && values.json) io.stderr(`${positionals[0]}: ${plural(report.problems.length, 'problem')} (see "problems").\n`);
    return EXIT_OK;
  },
};
