// `aos-bundle layer <subcommand>`: everything about layer images (pack, inspect, sbom) and the
// layer catalog (list, remove) under one command. The subcommands are a table so that each
// lives in a module of its own (`layer-<name>.ts`) and adding one is one import and one row here.
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../io';
import { layerInspectSubcommand } from './layer-inspect';
import { layerListSubcommand } from './layer-list';
import { layerRemoveSubcommand } from './layer-remove';
import { layerPackCommand } from './layer-pack';
import { layerSbomSubcommand } from './layer-sbom';

export interface LayerSubcommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** The subcommands, in the order `aos-bundle layer --help` lists them. */
export const layerSubcommands: readonly LayerSubcommand[] = [layerPackCommand, layerInspectSubcommand, layerSbomSubcommand, layerListSubcommand, layerRemoveSubcommand];

const LAYER_USAGE = 'aos-bundle layer <subcommand> [options]';

export function layerHelpText(): string {
  const width = Math.max(0, ...layerSubcommands.map((c) => c.name.length));
  return [
    'Layer images (<os>-<arch>-<version>.tar.gz), offline.',
    '',
    `Usage: ${LAYER_USAGE}`,
    '',
    'Subcommands:',
    ...layerSubcommands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `aos-bundle layer <subcommand> --help` for a subcommand's options.",
    '',
  ].join('\n');
}

function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export const layerCommand: Command = {
  name: 'layer',
  summary: `layer images: ${layerSubcommands.map((c) => c.name).join(', ') || 'see --help'}`,
  usage: LAYER_USAGE,
  ownHelp: true,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(layerHelpText());
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const sub = layerSubcommands.find((c) => c.name === name);
    if (!sub) {
      io.stderr(`aos-bundle layer: unknown subcommand '${name}'.\n\n${layerHelpText()}`);
      return EXIT_USAGE;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(`${sub.summary}\n\nUsage: ${sub.usage}\n`);
      return EXIT_OK;
    }
    try {
      return await sub.run(rest, io);
    } catch (err) {
      // Usage errors name the subcommand's own usage; other failures go to the CLI's handler (exit 1).
      if (err instanceof UsageError || isParseArgsError(err)) {
        io.stderr(`aos-bundle layer ${name}: ${(err as Error).message}\nUsage: ${sub.usage}\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
  },
};
