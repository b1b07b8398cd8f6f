import path from 'node:path';
import { parseArgs } from 'node:util';
import { whoami } from '../../core/cloud';
import { caFileOf, CLOUD_OPTIONS, connector, retryPolicyOf, credentialsFromOptions, homeOf, IDENTITY_OPTIONS } from '../cloud';
import { EXIT_OK, UsageError, type CliIo } from '../io';
import { passwordFromOptions } from '../password';
import { cancellation } from '../signal';

export async function runWhoami(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLOUD_OPTIONS, ...IDENTITY_OPTIONS } });
  if (positionals.length > 1) throw new UsageError('whoami takes at most one folder');
  const source = await passwordFromOptions(values, io);
  const { signal, dispose } = cancellation(io);
  try {
    const me = await whoami({
      // Without --pkcs12 / --key: the credentials the service (or bundle folder) config names.
      folder: path.resolve(io.cwd, positionals[0] ?? '.'),
      credentials: credentialsFromOptions(values, io),
      caFile: caFileOf(values, io),
      cloud: values.cloud,
      homeDir: homeOf(io),
      connect: connector(io, source, (l) => io.stderr(`retry: ${l}\n`), retryPolicyOf(values)),
      signal,
    });
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, cloud: me.base, user: me.raw }, null, 2)}\n`);
    else io.stdout(`user: ${me.username ?? '?'}\nemail: ${me.email ?? '?'}\nrole: ${me.role ?? '?'}\ncloud: ${me.base} (${me.sourceText})\n`);
    return EXIT_OK;
  } finally {
    dispose();
  }
}
