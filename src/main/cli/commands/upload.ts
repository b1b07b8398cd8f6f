import { parseArgs } from 'node:util';
import { parseCloudOverride } from '../../core/cloud';
import { uploadBundleFile } from '../../core/outbox';
import { caFileOf, CLOUD_OPTIONS, connector, retryPolicyOf, credentialsFromOptions, homeOf, IDENTITY_OPTIONS, locateBundle, outboxOf, resultJson, resultLines, retryLog, succeeded, uploadProgress, type BundleLocation } from '../cloud';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { passwordFromOptions, type PasswordSource } from '../password';
import { cancellation } from '../signal';

export const UPLOAD_OPTIONS = { ...CLOUD_OPTIONS, ...IDENTITY_OPTIONS, wait: { type: 'boolean' }, queue: { type: 'boolean' } } as const;

export interface UploadValues {
  ca?: string;
  cloud?: string;
  json?: boolean;
  pkcs12?: string;
  key?: string;
  cert?: string;
  wait?: boolean;
  queue?: boolean;
  tries?: string;
}

/** Upload (through the outbox) and print the result; shared by `upload` and `go`. */
export async function uploadAndReport(where: BundleLocation, values: UploadValues, source: PasswordSource, io: CliIo, command: string): Promise<number> {
  if (values.cloud !== undefined) usableCloudOption(values.cloud);
  const { signal, dispose } = cancellation(io);
  const { line, onProgress } = uploadProgress(io);
  const connect = connector(io, source, retryLog(io, line), retryPolicyOf(values));
  try {
    const { entry, result } = await uploadBundleFile({
      outbox: outboxOf(io),
      file: where.file,
      configDir: where.configDir,
      homeDir: homeOf(io),
      credentials: credentialsFromOptions(values, io),
      caFile: caFileOf(values, io),
      cloud: values.cloud,
      queueOnly: values.queue,
      follow: Boolean(values.wait),
      connect: (entry) => connect(entry.destination),
      signal,
      onProgress,
    });
    line.clear();
    const ok = values.queue ? entry.state === 'queued' : succeeded(entry.state, Boolean(values.wait));
    if (values.json) io.stdout(resultJson(entry, result, ok));
    else {
      io.stdout(resultLines(entry, result ?? { id: entry.id, state: entry.state, message: 'Queued: `aos-bundle outbox push` sends it.' }));
      if (!ok && entry.state === 'queued') io.stderr(`aos-bundle ${command}: not uploaded; kept in the outbox as ${entry.id}: \`aos-bundle outbox push\` sends it.\n`);
      else if (!ok) io.stderr(`aos-bundle ${command}: ${result?.error?.message ?? result?.message ?? `the upload is ${entry.state}`}\n`);
    }
    return ok ? EXIT_OK : EXIT_INVALID;
  } finally {
    line.clear();
    dispose();
  }
}

export async function runUpload(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: UPLOAD_OPTIONS });
  if (positionals.length > 1) throw new UsageError('upload takes at most one bundle or folder');
  const source = await passwordFromOptions(values, io);
  const where = await locateBundle(positionals[0], io);
  return uploadAndReport(where, values, source, io, 'upload');
}

/** `--cloud` is a usage error (exit 2) when it is not an https:// address, checked before any work. */
function usableCloudOption(text: string): void {
  try {
    parseCloudOverride(text);
  } catch (e) {
    throw new UsageError(`--cloud: ${e instanceof Error ? e.message : String(e)}`);
  }
}
