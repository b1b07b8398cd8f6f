import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { appError } from '../../../shared/errors';
import { configDomainOf, credentialRefsOf, describeSource, resolveCredentialRefs } from '../../core/cloud';
import { readConfigFile } from '../../core/service-tree/config-file';
import { parseServiceConfig } from '../../../shared/service-config';
import { caFileOf, CLOUD_OPTIONS, connector, retryPolicyOf, credentialsFromOptions, homeOf, IDENTITY_OPTIONS } from '../cloud';
import { EXIT_OK, UsageError, type CliIo } from '../io';
import { passwordFromOptions } from '../password';
import { cancellation } from '../signal';

export async function runWhoami(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...CLOUD_OPTIONS, ...IDENTITY_OPTIONS } });
  if (positionals.length > 1) throw new UsageError('whoami takes at most one folder');
  const source = await passwordFromOptions(values, io);
  let credentials = credentialsFromOptions(values, io);
  let configDomain: string | undefined;
  // Without --pkcs12 / --key: the credentials the service (or bundle folder) config names.
  const dir = path.resolve(io.cwd, positionals[0] ?? '.');
  const serviceConfig = existsSync(path.join(dir, 'meta', 'config.yaml'));
  if (!credentials || serviceConfig) {
    if (serviceConfig || existsSync(path.join(dir, 'config.yaml'))) {
      const { text, configPath } = serviceConfig ? await readConfigFile(dir) : { text: await readFile(path.join(dir, 'config.yaml'), 'utf8'), configPath: path.join(dir, 'config.yaml') };
      const value = parseServiceConfig(text).value;
      configDomain = configDomainOf(value);
      credentials ??= await resolveCredentialRefs(credentialRefsOf(value, !serviceConfig), path.dirname(configPath), homeOf(io));
    } else if (!credentials) {
      throw appError('invalid-input', `${dir} holds no config.yaml naming credentials: give --pkcs12 FILE or --key FILE --cert FILE.`);
    }
  }
  const { signal, dispose } = cancellation(io);
  try {
    const connect = connector(io, source, (l) => io.stderr(`retry: ${l}\n`), retryPolicyOf(values));
    const client = await connect({ credentials, caFile: caFileOf(values, io), cloud: values.cloud, configDomain });
    const me = await client.me({ signal });
    const cloud = client.connection.address;
    if (values.json) io.stdout(`${JSON.stringify({ ok: true, cloud: cloud.base, user: me.raw }, null, 2)}\n`);
    else {
      io.stdout(`user: ${me.username ?? '?'}\nemail: ${me.email ?? '?'}\nrole: ${me.role ?? '?'}\ncloud: ${cloud.base} (${describeSource(cloud)})\n`);
    }
    return EXIT_OK;
  } finally {
    dispose();
  }
}
