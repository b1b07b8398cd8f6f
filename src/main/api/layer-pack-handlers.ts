// Handlers of the Pack layer wizard: thin calls into core/layers, the use-cases
// `aos-bundle layer pack` (and its --dry-run) runs, so the app and the CLI cannot differ.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { appError } from '../../shared/errors';
import type { LayerPlanView, PackedLayerView } from '../../shared/contract';
import { checkLayerIdentity, descriptorFileName, layerFileName, packLayer, type PackLayerOptions, type PathChange, type DeletedPath } from '../core/layers/pack';
import type { Handlers } from './handlers';
import type { JobRegistry, JobProgress } from './jobs';

type LayerPackChannels = 'layers.plan' | 'layers.pack';

/** Paths listed per kind: a rootfs can hold 100 000 files, a screen shows a few thousand; count and bytes stay whole. */
export const PLAN_LIST_MAX = 5000;

interface PackRequest {
  rootfs: string;
  parents: string[];
  version: string;
  architecture: string;
  os?: string;
  osFeatures?: string[];
  outDir: string;
}

function changeList(list: readonly (PathChange | DeletedPath)[]) {
  return {
    paths: list.slice(0, PLAN_LIST_MAX).map((c) => ({
      path: c.path,
      type: c.type,
      size: c.size,
      ...(c.target !== undefined ? { target: c.target } : {}),
      ...('by' in c ? { by: c.by } : {}),
    })),
    count: list.length,
    bytes: list.reduce((n, c) => n + c.size, 0),
    truncated: list.length > PLAN_LIST_MAX,
  };
}

async function refuseExistingOutputs(input: PackRequest, resolvePath: (p: string) => string): Promise<void> {
  const identity = checkLayerIdentity({ version: input.version.trim(), architecture: input.architecture.trim(), os: input.os?.trim() || 'linux' });
  const outDir = resolvePath(input.outDir);
  // Only this image's own two files: other architectures and versions packed into the folder
  // (and an older folder-wide layer.json describing one of them) are left as they are.
  for (const name of [layerFileName(identity), descriptorFileName(identity)]) {
    const file = path.join(outDir, name);
    const there = await fs.lstat(file).then(() => true, () => false);
    if (there) throw appError('exists', `${file} exists already: this os, architecture and version was packed into that folder before; choose another output folder or version (nothing is overwritten).`, { file });
  }
}

export function createLayerPackHandlers(jobs: JobRegistry, resolvePath: (p: string) => string): Pick<Handlers, LayerPackChannels> {
  const options = (input: PackRequest, signal: AbortSignal, report: (p: JobProgress) => void): PackLayerOptions => ({
    rootfs: resolvePath(input.rootfs),
    parents: input.parents.map(resolvePath),
    version: input.version.trim(),
    architecture: input.architecture.trim(),
    os: input.os?.trim() || undefined,
    ...(input.osFeatures?.length ? { osFeatures: input.osFeatures } : {}),
    outDir: resolvePath(input.outDir),
    signal,
    onProgress: (p) =>
      report({ phase: p.phase, done: p.done, total: p.total, ...(p.filesTotal !== undefined ? { filesDone: p.filesDone ?? 0, filesTotal: p.filesTotal } : {}) }),
  });
  return {
    'layers.plan': async (input) => {
      const { jobId } = jobs.start('layers.plan', async (signal, report): Promise<LayerPlanView> => {
        const { file, plan } = await packLayer({ ...options(input, signal, report), dryRun: true });
        return {
          file,
          added: changeList(plan.added),
          changed: changeList(plan.changed),
          deleted: changeList(plan.deleted),
          converted: plan.converted,
          entries: plan.entries.length,
          files: plan.files,
          bytes: plan.bytes,
          warnings: plan.warnings,
        };
      });
      return { jobId };
    },
    'layers.pack': async (input) => {
      // The CLI replaces an earlier image in --out; the app never writes over a file (README, what a token holder can do).
      await refuseExistingOutputs(input, resolvePath);
      const { jobId } = jobs.start('layers.pack', async (signal, report): Promise<PackedLayerView> => {
        const { identity, packed } = await packLayer(options(input, signal, report));
        const p = packed!;
        return {
          file: p.file,
          descriptorFile: p.descriptorFile,
          ...(p.supersededDescriptor ? { supersededDescriptor: p.supersededDescriptor } : {}),
          digest: p.descriptor.digest,
          size: p.descriptor.size,
          diffId: p.diffId,
          os: identity.os,
          architecture: identity.architecture,
          version: identity.version,
        };
      });
      return { jobId };
    },
  };
}
