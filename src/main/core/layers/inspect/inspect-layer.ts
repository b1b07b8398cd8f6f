// The "inspect a layer" use-case (issue 10), one for the CLI and the app: a layer image in
// the current form (`<os>-<arch>-<version>.tar.gz`), the legacy form (metadata.json + the
// digest-named tar) or a plain folder, read once, reported with the source of every fact.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { appError, fsFailure } from '../../../../shared/errors';
import { MEDIA_TYPES } from '../../oci/types';
import { parseLayerFileName } from '../library';
import { readLayerArchive } from './read-archive';
import { readLayerFolder } from './read-folder';
import type { InspectProgress, LayerInspection, LayerPlatform } from './types';

export interface InspectLayerInput {
  /** A layer image file or a folder. */
  path: string;
  signal?: AbortSignal;
  onProgress?: (p: InspectProgress) => void;
  /** Also list every entry (capped at FACT_LIMITS.maxEntries), for the app's Files tree. */
  listEntries?: boolean;
}

export async function inspectLayer(input: InspectLayerInput): Promise<LayerInspection> {
  const source = path.resolve(input.path);
  let isDir: boolean;
  try {
    const st = await stat(source);
    if (!st.isFile() && !st.isDirectory()) throw appError('invalid-input', `${source} is neither a layer image file nor a folder.`, { file: source });
    isDir = st.isDirectory();
  } catch (e) {
    throw fsFailure(e, 'Cannot read the layer', source);
  }
  if (isDir) {
    const facts = await readLayerFolder(source, input);
    return { source, form: 'folder', ...facts };
  }
  const read = await readLayerArchive(source, input);
  const report: LayerInspection = {
    source,
    form: read.form,
    digest: read.digest,
    size: read.size,
    diffId: read.diffId,
    tarSize: read.tarSize,
    ...read.facts,
    problems: [...read.problems, ...read.facts.problems],
  };
  if (read.form === 'oci-layer') {
    report.mediaType = read.compressed ? MEDIA_TYPES.layerTarGzip : MEDIA_TYPES.layerTar;
    const name = parseLayerFileName(path.basename(source));
    if (name) report.platform = { os: name.os, architecture: name.architecture, version: name.version, from: 'file-name' };
    else report.problems.unshift(`the file name is not <os>-<arch>-<version>.tar.gz (arch amd64, arm64 or arm; a SemVer version): no platform`);
  } else if (read.legacy && typeof read.legacy !== 'string') {
    const m = read.legacy;
    if (m.mediaType) report.mediaType = m.mediaType;
    const platform: LayerPlatform = { from: 'metadata.json' };
    if (m.platform.os) platform.os = m.platform.os;
    if (m.platform.architecture) platform.architecture = m.platform.architecture;
    const version = m.layerId?.includes(':') ? m.layerId.slice(m.layerId.lastIndexOf(':') + 1) : undefined;
    if (version) platform.version = version;
    if (m.platform.osVersion) platform.osVersion = m.platform.osVersion;
    if (m.platform.osFeatures) platform.declaredOsFeatures = m.platform.osFeatures;
    report.platform = platform;
    if (m.layerId) report.layerId = m.layerId;
    if (m.parent) report.parent = m.parent;
  }
  return report;
}
