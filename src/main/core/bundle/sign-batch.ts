// Signs a schemaVersion 2 deployment bundle into batch.tar.gz (spec deployment-bundle.md §3):
// the container every bundle shares (sign-pipeline.ts) with batch.tar.gz as its inner archive,
// holding exactly the entries planBatch lists (config.yaml and what it references), so the
// "What goes in" panel and the signed bytes cannot differ.
import path from 'node:path';
import { appError } from '../../../shared/errors';
import { loadCredentialFile, type LoadedCredentials } from '../credentials/load';
import { resolveCredentialPath } from '../credentials/locate';
import type { BatchConfig } from './batch-config';
import { batchDiagnostics } from './batch-check';
import { configErrorOf } from './config';
import { planBatch, type BatchContents } from './batch-contents';
import { cancelledFailure, progressEmitter, signingCredentials, signingKeyOf, writeSignedBundle, type CommonSignOptions, type SignResult } from './sign-pipeline';

export interface BatchSignOptions extends CommonSignOptions {
  /** The bundle folder (the one holding config.yaml with schemaVersion 2). */
  dir: string;
  /** Output file; default <dir>/batch.tar.gz, as the platform's tool writes it. */
  outFile?: string;
}

export interface BatchSignResult extends SignResult {
  /** What went in and what stayed out (the same list listBatchContents gives). */
  contents: BatchContents;
}

/**
 * The credentials publish names: signKey when set (a separate signing key: a .p12, or a PEM
 * holding the key and its certificate), else tlsKey (the PKCS#12 for mutual TLS and
 * signing). Relative paths are looked up in the bundle folder, then in ~/.aos/security.
 */
async function configCredentials(config: BatchConfig, opts: BatchSignOptions): Promise<LoadedCredentials> {
  const named = config.signKey ?? config.tlsKey;
  if (!named) {
    throw appError('invalid-config', 'config.yaml names no signing credentials: set publish.tlsKey (the PKCS#12 from the platform\'s key tool).', {
      file: config.configPath,
      path: 'publish.tlsKey',
    });
  }
  const file = await resolveCredentialPath(named.ref, { configDir: config.root, homeDir: opts.homeDir, location: named.location });
  return loadCredentialFile(file, opts.password);
}

export async function signDeploymentBundle(opts: BatchSignOptions): Promise<BatchSignResult> {
  const dir = path.resolve(opts.dir);
  const warnings: string[] = [];
  const emit = progressEmitter(opts);
  if (opts.signal?.aborted) throw cancelledFailure();

  // 1. The config (refused on any error), the plan, the credentials: before any byte is written.
  emit({ phase: 'scan', done: 0, total: 0, filesDone: 0, filesTotal: 0 }, true);
  const plan = await planBatch(dir, { outFile: opts.outFile, homeDir: opts.homeDir, signal: opts.signal });
  const { contents, config } = plan;
  // Every diagnostic `validate` reports (rules, folder checks, the plan's problems).
  const refused = configErrorOf(await batchDiagnostics(config.text, plan, config.root, { signal: opts.signal, homeDir: opts.homeDir }), config.configPath);
  if (refused) throw refused;
  const creds = await signingCredentials(opts, () => configCredentials(config, opts));
  const key = signingKeyOf(creds, opts.now ?? new Date(), warnings);

  const result = await writeSignedBundle({
    outFile: contents.output,
    configBytes: config.configBytes,
    // Progress counts the payload, as for a service: config.yaml is not one of its files.
    inner: { name: 'batch.tar.gz', parts: plan.parts, files: contents.files - 1, bytes: contents.totalBytes - config.configBytes.length },
    key,
    warnings,
    emit,
    options: opts,
  });
  return { ...result, contents };
}
