// `aos-bundle`: the same core as the app, headless, for scripted and offline builds.
import { toAppError } from '../../shared/errors';
import { APP_VERSION } from '../version';
import { NODE_PARAM_DOCS } from '../core/oci/types';
import { layerCommand } from './commands/layer';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from './io';

/**
 * The command table. Each command's module (and what it needs: credentials, zod schemas, YAML,
 * tar, the cloud client) loads only when that command runs, so `--version`, `--help` and a
 * mistyped command answer without loading any of it (issue 12: start-up ≤ 100 ms).
 */
export const commands: readonly Command[] = [
  {
    name: 'init',
    summary: 'create a service tree (meta/config.yaml, src/), or with --bundle a deployment bundle (config.yaml, schemaVersion 2), from the commented template',
    usage:
      'aos-bundle init [DIR] [--cmd COMMAND] [--arch x86|aarch64] [--working-dir PATH] [--pkcs12 FILE]\n' +
      '       aos-bundle init --bundle [DIR] [--type layer|service|component] [--codename NAME] [--tls-key FILE]',
    run: async (args, io) => (await import('./commands/init')).runInit(args, io),
  },
  {
    name: 'validate',
    summary: 'check a service tree (meta/config.yaml, v1) or a deployment bundle (config.yaml, schemaVersion 2) against every rule',
    usage: 'aos-bundle validate [DIR] [--json]',
    run: async (args, io) => (await import('./commands/validate')).runValidate(args, io),
  },
  {
    name: 'sign',
    summary: 'build the signed upload bundle: service.tar.gz from a service tree, batch.tar.gz from a deployment bundle',
    usage: 'aos-bundle sign [DIR] [-o FILE] [--password-env VAR | --password-file FILE]',
    run: async (args, io) => (await import('./commands/sign')).runSign(args, io),
  },
  {
    name: 'verify',
    summary: 'check a signed bundle (service or deployment bundle): structure, hashes, sizes, kid, contents, and the signature with --cert',
    usage: 'aos-bundle verify BUNDLE [--cert PEM|P12] [--password-env VAR | --password-file FILE] [--json]',
    run: async (args, io) => (await import('./commands/verify')).runVerify(args, io),
  },
  {
    name: 'inspect',
    summary: 'show what a bundle holds: kind, members, config summary (or items), signer, signed claims, contents',
    usage: 'aos-bundle inspect BUNDLE [--json]',
    run: async (args, io) => (await import('./commands/inspect')).runInspect(args, io),
  },
  {
    name: 'contents',
    summary: 'list what signing a deployment bundle packs into batch.tar.gz (files, sizes, total) and what it leaves out',
    usage: 'aos-bundle contents [DIR] [-o FILE] [--json]',
    run: async (args, io) => (await import('./commands/contents')).runContents(args, io),
  },
  {
    name: 'preview',
    summary: 'show or export the OCI image the cloud derives (v8, v9) and the runtime spec a unit runs; for a deployment bundle, each image\'s OCI descriptor',
    usage:
      'aos-bundle preview [DIR] --target v8|v9 (--out DIR | --json | --runtime-spec FILE) [--node-dmips N] [--node-cpus N] [--layer-library DIR]\n' +
      'aos-bundle preview [DIR] [--json]   # in a deployment bundle: per item and image, the OCI descriptor (digest, size, diff_id, platform)\n' +
      `  --node-dmips N   ${NODE_PARAM_DOCS.maxDMIPS}\n` +
      '  --layer-library DIR  layer images as <uid>/<os>-<arch>-<version>.tar.gz: required layers resolve to the\n' +
      '                   highest version inside their range (else they stay unresolved)\n' +
      `  --node-cpus N    ${NODE_PARAM_DOCS.cpuCount}\n` +
      '  --json           print everything (image config, service/item config, manifests, runtime specs, warnings)\n' +
      '                   with `trace`: JSON pointer of each generated field -> the config.yaml line it came from',
    run: async (args, io) => (await import('./commands/preview')).runPreview(args, io),
  },
  layerCommand,
  {
    name: 'upload',
    summary: 'upload a signed bundle to the cloud over mutual TLS (through the outbox)',
    usage:
      'aos-bundle upload [BUNDLE|DIR] [--ca FILE] [--cloud https://HOST:PORT] [--wait] [--queue] [--json] [--tries N] [--pkcs12 FILE | --key FILE --cert FILE] [--password-env VAR | --password-file FILE]',
    run: async (args, io) => (await import('./commands/upload')).runUpload(args, io),
  },
  {
    name: 'go',
    summary: 'sign, then upload: service.tar.gz from a service tree, batch.tar.gz from a deployment bundle (sign + upload)',
    usage:
      'aos-bundle go [DIR] [-o FILE] [--ca FILE] [--cloud https://HOST:PORT] [--wait] [--json] [--tries N] [--pkcs12 FILE | --key FILE --cert FILE] [--password-env VAR | --password-file FILE]',
    run: async (args, io) => (await import('./commands/go')).runGo(args, io),
  },
  {
    name: 'whoami',
    summary: 'ask the cloud who the certificate belongs to: user, e-mail and role (users/me)',
    usage: 'aos-bundle whoami [DIR] [--pkcs12 FILE | --key FILE --cert FILE] [--ca FILE] [--cloud https://HOST:PORT] [--json] [--password-env VAR | --password-file FILE]',
    run: async (args, io) => (await import('./commands/whoami')).runWhoami(args, io),
  },
  {
    name: 'outbox',
    summary: 'bundles waiting for or on their way to the cloud: list, push, retry, remove',
    usage: 'aos-bundle outbox list [--json] | push [ID...] [--wait] [--json] [--tries N] [--password-env VAR | --password-file FILE] | retry ID | remove ID [--force]',
    run: async (args, io) => (await import('./commands/outbox')).runOutbox(args, io),
  },
  {
    name: 'ui',
    summary: 'serve the app in a browser on 127.0.0.1 (browser mode)',
    usage: 'aos-bundle ui [--port N] [--no-open]',
    run: async (args, io) => (await import('./commands/ui')).runUi(args, io),
  },
];

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `aos-bundle ${APP_VERSION}: author, check, sign and upload AosEdge bundles`,
    '',
    'Usage: aos-bundle <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'DIR defaults to the current folder, as the platform\'s tools run from the service root or the bundle folder.',
    'A folder is a service tree (meta/config.yaml, signed into service.tar.gz) or a deployment bundle',
    '(config.yaml with schemaVersion 2, signed into batch.tar.gz); validate, sign, verify, inspect, contents, preview and go say which they found.',
    'Exit codes: 0 done (warnings allowed), 1 invalid input, 2 usage error.',
    'Run `aos-bundle <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`aos-bundle: unknown command '${name}'.\n\n${helpText()}`);
    return EXIT_USAGE;
  }
  if (!command.ownHelp && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.stderr(`aos-bundle ${name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    const error = toAppError(err);
    const where = error.location ? `${error.location.file}${error.location.line ? `:${error.location.line}:${error.location.column ?? 1}` : ''}: ` : '';
    io.stderr(`${where}error: ${error.message}\n`);
    return EXIT_INVALID;
  }
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The process entry point used by bin/aos-bundle.js. */
export function main(): void {
  run(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns,
  }).then((code) => {
    process.exitCode = code;
  });
}
