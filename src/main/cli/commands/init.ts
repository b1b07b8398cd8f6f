import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { initDeploymentBundle } from '../../core/bundle';
import { initServiceTree } from '../../core/service-tree/init';
import { ITEM_TYPES, type ItemType } from '../../../shared/deployment-config';
import { EXIT_OK, UsageError, type CliIo } from '../io';

export async function runInit(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      cmd: { type: 'string' },
      arch: { type: 'string' },
      'working-dir': { type: 'string' },
      pkcs12: { type: 'string' },
      bundle: { type: 'boolean' },
      type: { type: 'string' },
      codename: { type: 'string' },
      'tls-key': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError('init takes at most one folder');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (values.bundle) {
    if (values.arch !== undefined || values.pkcs12 !== undefined) throw new UsageError('--arch and --pkcs12 are for a service tree; a deployment bundle takes --type, --codename and --tls-key');
    if (values.type !== undefined && !(ITEM_TYPES as readonly string[]).includes(values.type)) throw new UsageError(`--type must be one of ${ITEM_TYPES.join(', ')}`);
    const made = await initDeploymentBundle(dir, {
      type: values.type as ItemType | undefined,
      codename: values.codename,
      tlsKey: values['tls-key'],
      cmd: values.cmd,
      workingDir: values['working-dir'],
    });
    io.stdout(`Created deployment bundle in ${made.root}:\n`);
    for (const item of made.created) io.stdout(`  ${item}\n`);
    io.stdout('Next: put the images where config.yaml says (or edit their paths), set publish.tlsKey, then run `aos-bundle validate`.\n');
    return EXIT_OK;
  }
  if (values.type !== undefined || values.codename !== undefined || values['tls-key'] !== undefined) throw new UsageError('--type, --codename and --tls-key need --bundle');
  const result = await initServiceTree({
    dir,
    cmd: values.cmd,
    arch: values.arch,
    workingDir: values['working-dir'],
    pkcs12Path: values.pkcs12 && resolve(io.cwd, values.pkcs12),
  });
  io.stdout(`Created service tree in ${result.root}:\n`);
  for (const item of result.created) io.stdout(`  ${item}\n`);
  io.stdout('Next: put the service files under src/, edit meta/config.yaml, then run `aos-bundle validate`.\n');
  return EXIT_OK;
}
