import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { initServiceTree } from '../../core/service-tree/init';
import { EXIT_OK, UsageError, type Command } from '../io';

export const initCommand: Command = {
  name: 'init',
  summary: 'create a service tree (meta/config.yaml from the commented template, src/)',
  usage: 'aos-bundle init [DIR] [--cmd COMMAND] [--arch x86|aarch64] [--working-dir PATH] [--pkcs12 FILE]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        cmd: { type: 'string' },
        arch: { type: 'string' },
        'working-dir': { type: 'string' },
        pkcs12: { type: 'string' },
      },
    });
    if (positionals.length > 1) throw new UsageError('init takes at most one folder');
    const dir = resolve(io.cwd, positionals[0] ?? '.');
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
  },
};
