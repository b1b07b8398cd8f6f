// `aos-bundle contents [DIR]`: what signing a deployment bundle packs into batch.tar.gz
// (every file with its size, and the total) and what in the folder it leaves out, with why.
// The same plan the app's "What goes in" panel shows and signing follows (listBatchContents).
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXCLUSION_WORDS, listBatchContents } from '../../core/bundle';
import { folderKindFor } from '../folder-kind';
import { formatBytes } from '../progress';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';

export async function runContents(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, out: { type: 'string', short: 'o' } } });
  if (positionals.length > 1) throw new UsageError('contents takes at most one folder');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const kind = await folderKindFor(dir, io);
  if (kind.kind !== 'deployment-bundle') {
    throw new UsageError(`${kind.root} is a service tree; contents lists a deployment bundle's batch.tar.gz (a service bundle packs meta/config.yaml and all of src/)`);
  }
  const outFile = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  const contents = await listBatchContents(kind.root, { outFile, homeDir: io.env.HOME || homedir() });
  const files = contents.entries.filter((e) => e.kind !== 'folder');
  const ok = contents.problems.length === 0;
  if (values.json) {
    io.stdout(`${JSON.stringify({
      ok,
      kind: kind.kind,
      output: contents.output,
      packed: files.map((e) => ({ path: e.path, kind: e.kind, size: e.size, ...(e.executable ? { executable: true } : {}), ...(e.target !== undefined ? { target: e.target } : {}), reference: e.reference })),
      files: contents.files,
      folders: contents.folders,
      symlinks: contents.symlinks,
      totalBytes: contents.totalBytes,
      notPacked: contents.excluded.map((e) => ({ path: e.path, kind: e.kind, ...(e.size !== undefined ? { size: e.size } : {}), reason: e.reason, why: EXCLUSION_WORDS[e.reason] })),
      problems: contents.problems.map((p) => ({ message: p.message, path: p.reference ?? p.location.path ?? '', line: p.location.line, column: p.location.column })),
      warnings: contents.warnings.map((p) => ({ message: p.message, path: p.reference ?? p.location.path ?? '', line: p.location.line, column: p.location.column })),
    }, null, 2)}\n`);
    return ok ? EXIT_OK : EXIT_INVALID;
  }
  const width = Math.max(...files.map((e) => String(e.size).length));
  io.stdout(`packed into ${contents.output}:\n`);
  for (const e of files) {
    const what = e.kind === 'symlink' ? ` -> ${e.target}` : e.executable ? '  (executable)' : '';
    io.stdout(`  ${String(e.size).padStart(width)}  ${e.path}${what}\n`);
  }
  io.stdout(`total: ${files.length} file${files.length === 1 ? '' : 's'}, ${contents.totalBytes} bytes (${formatBytes(contents.totalBytes)})\n`);
  io.stdout(`not packed:${contents.excluded.length === 0 ? ' nothing (every file in the folder is packed)' : ''}\n`);
  for (const e of contents.excluded) io.stdout(`  ${e.path}${e.kind === 'folder' ? '/' : ''}${e.size !== undefined ? ` (${e.size} bytes)` : ''}: ${EXCLUSION_WORDS[e.reason]}\n`);
  for (const w of contents.warnings) io.stderr(`warning: ${w.message}\n`);
  for (const p of contents.problems) io.stderr(`error: ${p.message}\n`);
  return ok ? EXIT_OK : EXIT_INVALID;
}
