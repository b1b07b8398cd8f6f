// `aos-bundle preview`: parses its options and calls previewService, the use-case the app's
// 'preview.export' calls too (so the two write the same layout for the same inputs).
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomic-write';
import { previewDeploymentBundle, previewService, type DeploymentPreviewResult, type NodeParams, type PreviewWarning, type Target } from '../../core/oci';
import { checkBundleFirst } from './sign';
import { checkConfigFirst } from '../config-check';
import { folderKindFor } from '../folder-kind';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { cancellation } from '../signal';

function positiveInt(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`${option} takes a positive whole number, got "${value}"`);
  return Number(value);
}

function warningLine(file: string, w: PreviewWarning): string {
  const at = w.line > 0 ? `${file}:${w.line}:${w.column}` : w.file ? `src/${w.file}` : file;
  return `${at}: ${w.severity}: ${w.message}${w.path ? ` (${w.path})` : ''}`;
}

export async function runPreview(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      out: { type: 'string' },
      'runtime-spec': { type: 'string' },
      'node-dmips': { type: 'string' },
      'node-cpus': { type: 'string' },
      'layer-library': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new UsageError('preview takes at most one folder');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const kind = await folderKindFor(dir, io);
  if (kind.kind === 'deployment-bundle') {
    const notForBundles = (['target', 'out', 'runtime-spec', 'node-dmips', 'node-cpus', 'layer-library'] as const).filter((k) => values[k] !== undefined);
    if (notForBundles.length) {
      throw new UsageError(`${notForBundles.map((k) => `--${k}`).join(', ')}: for a service tree's image; a deployment bundle's preview takes only --json`);
    }
    return previewBundle(kind.root, Boolean(values.json), io);
  }
  if (values.target === undefined) throw new UsageError('--target v8 or --target v9 is required');
  if (values.target !== 'v8' && values.target !== 'v9') throw new UsageError(`--target must be v8 or v9, got "${values.target}"`);
  const target: Target = values.target;
  if (values.out === undefined && !values.json && values['runtime-spec'] === undefined) {
    throw new UsageError('nothing to do: give --out DIR to write the image, --json to print it, or --runtime-spec FILE');
  }
  const node: Partial<NodeParams> = {};
  const dmips = positiveInt(values['node-dmips'], '--node-dmips');
  const cpus = positiveInt(values['node-cpus'], '--node-cpus');
  if (dmips !== undefined) node.maxDMIPS = dmips;
  if (cpus !== undefined) node.cpuCount = cpus;

  const checked = await checkConfigFirst(dir, io, 'preview');
  if (!checked) return EXIT_INVALID;
  const outDir = values.out === undefined ? undefined : resolve(io.cwd, values.out);

  const { signal, dispose } = cancellation(io);
  let result;
  try {
    result = await previewService({
      root: checked.config.root,
      target,
      node,
      outDir,
      layerLibrary: values['layer-library'] === undefined ? undefined : resolve(io.cwd, values['layer-library']),
      homeDir: io.env.HOME || homedir(),
      signal,
    });
  } finally {
    dispose();
  }
  for (const problem of result.layerLibrary?.problems ?? []) io.stderr(`${problem.file}: warning: ${problem.message}\n`);
  const { preview, rootfs, warnings, written } = result;

  const runtimeSpecFile = values['runtime-spec'] === undefined ? undefined : resolve(io.cwd, values['runtime-spec']);
  if (runtimeSpecFile) await writeFileAtomic(runtimeSpecFile, `${JSON.stringify(preview.runtimeSpec[target], null, 2)}\n`);

  if (values.json) {
    const { whiteouts, ...layer } = rootfs;
    io.stdout(
      `${JSON.stringify(
        {
          target,
          ...(outDir ? { outDir, written } : {}),
          ...(runtimeSpecFile ? { runtimeSpecFile } : {}),
          rootfs: { ...layer, whiteouts },
          platform: preview.platform,
          refName: preview.refName,
          node: preview.node,
          imageConfig: preview.imageConfig,
          serviceConfig: preview.serviceConfig,
          itemConfig: preview.itemConfig,
          manifest: preview.manifest,
          index: preview.index,
          runtimeSpec: preview.runtimeSpec,
          overlay: preview.overlay,
          layers: preview.layers,
          warnings,
          trace: preview.trace,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    if (outDir) {
      io.stdout(`${target === 'v8' ? 'v8 archive layout' : 'v9 OCI image layout'} in ${outDir}:\n`);
      for (const w of written ?? []) io.stdout(`  ${w}\n`);
      const manifest = target === 'v8' ? 'manifest.json' : `${preview.index.manifests[0].digest} (ref ${preview.refName})`;
      io.stdout(`manifest: ${manifest}\n`);
    }
    io.stdout(`rootfs layer: ${rootfs.digest} (${rootfs.size} bytes), diff_id ${rootfs.diffId}, ${rootfs.files} files\n`);
    if (runtimeSpecFile) io.stdout(`runtime spec (${target}): ${runtimeSpecFile}\n`);
  }
  for (const w of warnings) io.stderr(`${warningLine(checked.displayPath, w)}\n`);
  return EXIT_OK;
}

/** A deployment bundle's preview: validate's diagnostics first (errors refuse), then each image's descriptor. */
async function previewBundle(root: string, json: boolean, io: CliIo): Promise<number> {
  if (!(await checkBundleFirst(root, undefined, io, 'preview'))) return EXIT_INVALID;
  const { signal, dispose } = cancellation(io);
  let result: DeploymentPreviewResult;
  try {
    result = await previewDeploymentBundle({ root, homeDir: io.env.HOME || homedir(), signal });
  } finally {
    dispose();
  }
  if (json) {
    io.stdout(`${JSON.stringify({ kind: result.kind, root: result.root, items: result.items }, null, 2)}\n`);
    return EXIT_OK;
  }
  io.stdout(`deployment bundle ${result.root}: what the cloud and a unit derive per image\n`);
  for (const item of result.items) {
    io.stdout(`${item.type} ${item.codename} ${item.version}:\n`);
    for (const image of item.images) {
      const d = image.descriptor;
      const p = d.platform;
      io.stdout(`  ${image.key}: ${image.source}${image.kind === 'rootfs' ? ` (rootfs layer built from the folder, ${image.files} files)` : ''}\n`);
      io.stdout(`    mediaType: ${d.mediaType}\n    digest: ${d.digest}\n    size: ${d.size}\n`);
      if (image.diffId) io.stdout(`    diff_id: ${image.diffId}\n`);
      io.stdout(`    platform: ${p.architecture}${p.variant ? `/${p.variant}` : ''} ${p.os}${p['os.version'] ? `, os.version ${p['os.version']}` : ''}${p['os.features']?.length ? `, os.features ${p['os.features'].join(' ')}` : ''}\n`);
      if (image.kind !== 'component') io.stdout(`    descriptor: ${JSON.stringify(d)}\n`);
    }
    for (const note of item.notes) io.stdout(`  note: ${note}\n`);
  }
  return EXIT_OK;
}
