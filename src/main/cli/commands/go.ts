import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/errors';
import { signDeploymentBundle, signServiceBundle, type SignProgress, type SignResult } from '../../core/bundle';
import { checkConfigFirst } from '../config-check';
import { folderKindFor } from '../folder-kind';
import { EXIT_INVALID, UsageError, type CliIo } from '../io';
import { passwordFromOptions, withPassword } from '../password';
import { progressLine } from '../progress';
import { cancellation } from '../signal';
import { checkBundleFirst, showSignProgress } from './sign';
import { uploadAndReport, UPLOAD_OPTIONS } from './upload';

type Sign = (password: string | undefined, common: { signal: AbortSignal; homeDir: string; onProgress: (p: SignProgress) => void }) => Promise<SignResult>;

export async function runGo(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...UPLOAD_OPTIONS, out: { type: 'string', short: 'o' } } });
  if (positionals.length > 1) throw new UsageError('go takes at most one folder');
  if (values.queue) throw new UsageError('go uploads; to only queue, run `aos-bundle sign` then `aos-bundle upload --queue`');
  const source = await passwordFromOptions(values, io);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const outFile = values.out === undefined ? undefined : resolve(io.cwd, values.out);

  // The sign use-case of the folder's kind, checked first exactly as `sign` checks it.
  const kind = await folderKindFor(dir, io);
  let sign: Sign;
  /** Where upload reads the credentials the config names from (v1 meta/, v2 the bundle folder). */
  let configDir: string;
  if (kind.kind === 'deployment-bundle') {
    if (!(await checkBundleFirst(dir, outFile, io, 'go'))) return EXIT_INVALID;
    sign = (password, common) => signDeploymentBundle({ dir: kind.root, outFile, password, ...common });
    configDir = kind.root;
  } else {
    const checked = await checkConfigFirst(dir, io, 'go');
    if (!checked) return EXIT_INVALID;
    sign = (password, common) => signServiceBundle({ root: checked.config.root, outFile, password, ...common });
    configDir = dirname(checked.config.configPath);
  }

  // The password typed for signing opens the TLS key too.
  let typed = source.password;
  const { signal, dispose } = cancellation(io);
  const line = progressLine(io);
  let signed: SignResult;
  try {
    signed = await withPassword(io, source, async (password) => {
      const r = await sign(password, { signal, homeDir: io.env.HOME || homedir(), onProgress: (p) => showSignProgress(line, p) });
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
  return uploadAndReport({ file: signed.path, configDir }, values, { ...source, password: typed }, io, 'go');
}
