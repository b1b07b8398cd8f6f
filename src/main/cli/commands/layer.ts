// `aos-bundle layer <subcommand>`: everything about layer images (pack, inspect, sbom) and the
// layer catalog (list, remove) under one command. The subcommands are a table so that each
// lives in a module of its own (`layer-<name>.ts`, loaded only when it runs: `--help` and
// other commands stay fast) and adding one is one row here.
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from '../io';

export interface LayerSubcommand {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** The subcommands, in the order `aos-bundle layer --help` lists them. */
export const layerSubcommands: readonly LayerSubcommand[] = [
  {
    name: 'pack',
    summary: 'pack a layer image from a root filesystem minus its parent(s), with its <os>-<arch>-<version>.layer.json (--dry-run lists the changes)',
    usage:
      'aos-bundle layer pack ROOTFS --parent PARENT [--parent PARENT ...] --version V --arch amd64|arm64|arm [--os linux] [--os-version S] [--os-feature NAME ...] [--owner UID:GID] --out DIR [--dry-run] [--json]',
    run: async (args, io) => (await import('./layer-pack')).runLayerPack(args, io),
  },
  {
    name: 'inspect',
    summary: 'show what a layer image or folder holds: digest, diff_id, platform, parent, files, whiteouts, libraries with versions and their sources',
    usage: 'aos-bundle layer inspect FILE|DIR [--json]',
    run: async (args, io) => (await import('./layer-inspect')).runLayerInspect(args, io),
  },
  {
    name: 'sbom',
    summary: 'write a layer image\'s libraries as a CycloneDX 1.6 or SPDX 2.3 JSON SBOM (reproducible; SOURCE_DATE_EPOCH sets its time)',
    usage: 'aos-bundle layer sbom FILE --format cyclonedx|spdx [-o FILE]',
    run: async (args, io) => (await import('./layer-sbom')).runLayerSbom(args, io),
  },
  {
    name: 'list',
    summary: 'list the layer catalog (the layer library by uid) with how many known services and bundles select each version',
    usage: 'aos-bundle layer list [--library DIR] [--workspace DIR] [--json]',
    run: async (args, io) => (await import('./layer-list')).runLayerList(args, io),
  },
  {
    name: 'remove',
    summary: 'remove a layer version from the catalog, refused while a known service or bundle selects it (the last version removes the layer)',
    usage: 'aos-bundle layer remove UID VERSION [--arch A] [--os OS] [--library DIR] [--workspace DIR] [--yes]',
    run: async (args, io) => (await import('./layer-remove')).runLayerRemove(args, io),
  },
];

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
