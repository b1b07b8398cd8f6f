import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/errors';
import { signServiceBundle } from '../../core/bundle';
import { checkConfigFirst } from '../config-check';
import { EXIT_INVALID, UsageError, type CliIo } from '../io';
import { passwordFromOptions, withPassword } from '../password';
import { progressLine } from '../progress';
import { cancellation } from '../signal';
import { showSignProgress } from './sign';
import { uploadAndReport, UPLOAD_OPTIONS } from './upload';

export async function runGo(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...UPLOAD_OPTIONS, out: { type: 'string', short: 'o' } } });
  if (positionals.length > 1) throw new UsageError('go takes at most one folder');
  if (values.queue) throw new UsageError('go uploads; to only queue, run `aos-bundle sign` then `aos-bundle upload --queue`');
  const source = await passwordFromOptions(values, io);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const checked = await checkConfigFirst(dir, io, 'go');
  if (!checked) return EXIT_INVALID;

  // The sign use-case, as `sign` runs it; the password typed for it opens the TLS key too.
  let typed = source.password;
  const { signal, dispose } = cancellation(io);
  const line = progressLine(io);
  let signed;
  try {
    signed = await withPassword(io, source, async (password) => {
      const r = await signServiceBundle({
        root: checked.config.root,
        outFile: values.out === undefined ? undefined : resolve(io.cwd, values.out),
        password,
        signal,
        homeDir: io.env.HOME || homedir(),
        onProgress: (p) => showSignProgress(line, p),
      });
      typed = password;
      return r;
    });
  } catch (e) {
    line.clear();
    if (e instanceof AppFailure && e.error.code === 'cancelled') {
      io.stderr('aos-bundle go: cancelled; no bundle was written, nothing was uploaded.\n');
      return EXIT_INVALID;
    }
    throw e;
  } finally {
    line.clear();
    dispose();
  }
  for (const w of signed.warnings) io.stderr(`warning: ${w}\n`);
  if (!values.json) io.stdout(`path: ${signed.path}\nsize: ${signed.size}\nsha256: ${signed.sha256}\n`);
  return uploadAndReport({ file: signed.path, configDir: dirname(checked.config.configPath) }, values, { ...source, password: typed }, io, 'go');
}
