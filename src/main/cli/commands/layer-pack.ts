// `aos-bundle layer pack`: a layer image from a root filesystem and its parent(s), through
// packLayer, the use-case the app calls too. `--dry-run` prints the plan and writes nothing.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { AppFailure, toAppError } from '../../../shared/errors';
import { packLayer, type LayerPlan, type PackLayerResult, type PackProgress, type PathChange } from '../../core/layers/pack';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { formatBytes, progressLine, type ProgressLine, type ProgressState } from '../progress';
import { cancellation } from '../signal';


/** SOURCE_DATE_EPOCH, when set: the clamp for entry mtimes (reproducible builds' convention). */
export function sourceDateEpoch(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,12}$/.test(raw)) throw new UsageError(`SOURCE_DATE_EPOCH must be whole seconds since 1970; got '${raw}'`);
  return Number(raw);
}

function parseOwner(raw: string | undefined): { uid: number; gid: number } | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(raw);
  if (!m || Number(m[1]) > 0xffffffff || Number(m[2]) > 0xffffffff) throw new UsageError(`--owner takes numeric UID:GID such as 0:0; got '${raw}'`);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

/** Reading parents and comparing have no total to measure against: the line says what is going on. */
export function progressState(p: PackProgress): ProgressState {
  if (p.phase === 'parents') return { label: `reading parent ${(p.parent ?? 0) + 1}/${p.parents ?? 1}`, done: 0, total: 0 };
  if (p.phase === 'compare') return { label: `comparing: ${p.done} entries`, done: 0, total: 0 };
  return { label: 'packing', done: p.done, total: p.total, filesDone: p.filesDone, filesTotal: p.filesTotal };
}

function showProgress(line: ProgressLine, p: PackProgress): void {
  line.update(progressState(p));
}

function sizeText(n: number): string {
  return n < 1024 ? `${n} B` : `${formatBytes(n)}`;
}

/** The plan as people read it: added, changed, deleted, each path with its size. */
export function planText(plan: LayerPlan): string {
  const width = Math.max(0, ...[...plan.added, ...plan.changed, ...plan.deleted].map((c) => c.path.length + (c.type === 'directory' ? 1 : 0)));
  const name = (p: string, type: string) => (type === 'directory' && p !== '/' ? `${p}/` : p);
  const row = (sign: string, p: string, type: string, size: string) => `  ${sign} ${name(p, type).padEnd(width)}  ${size}\n`;
  const sum = (list: { size: number }[]) => list.reduce((s, c) => s + c.size, 0);
  const what = (c: PathChange) => (c.type === 'file' ? sizeText(c.size) : c.type === 'hardlink' ? `hard link to ${c.target}` : c.type);
  let out = `added: ${plan.added.length} (${sizeText(sum(plan.added))})\n`;
  for (const c of plan.added) out += row('+', c.path, c.type, what(c));
  out += `changed: ${plan.changed.length} (${sizeText(sum(plan.changed))})\n`;
  for (const c of plan.changed) out += row('~', c.path, c.type, what(c));
  out += `deleted: ${plan.deleted.length} (${sizeText(sum(plan.deleted))} in the parent)\n`;
  for (const c of plan.deleted) out += row('-', c.path, c.type, `${c.type === 'file' ? sizeText(c.size) : c.type === 'directory' ? `folder, ${sizeText(c.size)}` : c.type}, ${c.by === 'opaque' ? 'by the folder\'s .wh..wh..opq' : 'by .wh.'}`);
  if (plan.converted.length) out += `overlayfs whiteouts converted: ${plan.converted.length} (${plan.converted.join(', ')})\n`;
  return out;
}

function planJson(plan: LayerPlan) {
  return {
    added: plan.added,
    changed: plan.changed,
    deleted: plan.deleted,
    converted: plan.converted,
    entries: plan.entries.length,
    files: plan.files,
    bytes: plan.bytes,
    mtime: plan.mtime,
    warnings: plan.warnings,
  };
}

function resultJson(r: PackLayerResult) {
  return {
    ok: true,
    dryRun: !r.packed,
    file: r.file,
    ...(r.packed ? { descriptorFile: r.packed.descriptorFile, ...(r.packed.supersededDescriptor ? { supersededDescriptor: r.packed.supersededDescriptor } : {}), diffId: r.packed.diffId, tarSize: r.packed.tarSize, descriptor: r.packed.descriptor } : {}),
    plan: planJson(r.plan),
  };
}

export async function runLayerPack(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      parent: { type: 'string', multiple: true },
      version: { type: 'string' },
      arch: { type: 'string' },
      os: { type: 'string' },
      'os-version': { type: 'string' },
      'os-feature': { type: 'string', multiple: true },
      owner: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('pack takes one root filesystem folder');
  if (!values.parent?.length) throw new UsageError('--parent is required (the base rootfs folder or layer image the layer goes on)');
  if (!values.version) throw new UsageError('--version is required');
  if (!values.arch) throw new UsageError('--arch is required');
  if (!values.out) throw new UsageError('--out is required (the folder the layer image and its <os>-<arch>-<version>.layer.json go to)');
  const owner = parseOwner(values.owner);
  const mtime = sourceDateEpoch(io.env);

  const { signal, dispose } = cancellation(io);
  const line = progressLine(io);
  try {
    const result = await packLayer({
      rootfs: resolve(io.cwd, positionals[0]),
      parents: values.parent.map((p) => resolve(io.cwd, p)),
      version: values.version,
      architecture: values.arch,
      os: values.os,
      osVersion: values['os-version'],
      osFeatures: values['os-feature'],
      outDir: resolve(io.cwd, values.out),
      dryRun: values['dry-run'],
      mtime,
      owner,
      signal,
      onProgress: (p) => showProgress(line, p),
    });
    line.clear();
    for (const w of result.plan.warnings) io.stderr(`warning: ${w}\n`);
    if (values.json) {
      io.stdout(`${JSON.stringify(resultJson(result), null, 2)}\n`);
      return EXIT_OK;
    }
    if (!result.packed) {
      io.stdout(`dry run: nothing written; the layer would be ${result.file}\n${planText(result.plan)}`);
      return EXIT_OK;
    }
    const d = result.packed.descriptor;
    const superseded = result.packed.supersededDescriptor;
    if (superseded) io.stderr(`note: removed ${superseded}: an older pack's descriptor of the image this pack replaced (each image now has its own ${result.packed.descriptorFile}).\n`);
    io.stdout(
      `path: ${result.file}\nsize: ${d.size}\ndigest: ${d.digest}\ndiff_id: ${result.packed.diffId}\ndescriptor: ${result.packed.descriptorFile}\n` +
        `${planText(result.plan)}${result.packed.descriptorFile}:\n${JSON.stringify(d, null, 2)}\n`,
    );
    return EXIT_OK;
  } catch (e) {
    line.clear();
    if (e instanceof AppFailure && e.error.code === 'cancelled') {
      io.stderr('aos-bundle layer pack: cancelled; no layer was written.\n');
      return EXIT_INVALID;
    }
    if (values.json && !(e instanceof UsageError)) {
      const error = toAppError(e);
      io.stdout(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
      io.stderr(`error: ${error.message}\n`);
      return EXIT_INVALID;
    }
    throw e;
  } finally {
    dispose();
  }
}

