// `aos-bundle`: the same core as the app, headless, for scripted and offline builds.
import { toAppError } from '../../shared/errors';
import { APP_VERSION } from '../version';
import { contentsCommand } from './commands/contents';
import { goCommand } from './commands/go';
import { initCommand } from './commands/init';
import { inspectCommand } from './commands/inspect';
import { layerCommand } from './commands/layer';
import { outboxCommand } from './commands/outbox';
import { previewCommand } from './commands/preview';
import { signCommand } from './commands/sign';
import { uiCommand } from './commands/ui';
import { validateCommand } from './commands/validate';
import { uploadCommand } from './commands/upload';
import { verifyCommand } from './commands/verify';
import { whoamiCommand } from './commands/whoami';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from './io';

export const commands: readonly Command[] = [
  initCommand,
  validateCommand,
  signCommand,
  verifyCommand,
  inspectCommand,
  contentsCommand,
  previewCommand,
  layerCommand,
  uploadCommand,
  goCommand,
  whoamiCommand,
  outboxCommand,
  uiCommand,
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
