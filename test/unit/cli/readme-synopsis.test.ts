// The README's CLI synopsis and each command's `--help` usage say the same: every usage line
// of the command table (the one source `--help` prints) appears in the README's CLI block as
// `npx <usage>` (an end-of-line `# comment` allowed), and the block names no command line
// that the table does not have.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commands } from '../../../src/main/cli/index';
import { layerSubcommands } from '../../../src/main/cli/commands/layer';

const README = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');

/** The `npx aos-bundle ...` lines of the README's first sh block under "## CLI", comments dropped. */
function synopsis(): string[] {
  const section = README.slice(README.indexOf('\n## CLI\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block
    .split('\n')
    .filter((l) => l.startsWith('npx aos-bundle '))
    .map((l) => l.slice('npx '.length).replace(/\s+#.*$/, '').trimEnd());
}

/** The lines of a usage text that are command lines (options are explained on indented lines). */
const commandLines = (usage: string) => usage.split('\n').map((l) => l.trimStart()).filter((l) => l.startsWith('aos-bundle ')).map((l) => l.replace(/\s+#.*$/, '').trimEnd());

/** Every command line --help prints: each command's, and for `layer` each subcommand's. */
function usages(): string[] {
  return commands.flatMap((c) => (c.name === 'layer' ? layerSubcommands.flatMap((sub) => commandLines(sub.usage)) : commandLines(c.usage)));
}

describe('README CLI synopsis', () => {
  it('lists every usage line of every command exactly as --help prints it', () => {
    const readme = synopsis();
    const missing = usages().filter((u) => !readme.includes(u));
    expect(missing, `README lacks (or differs from) these --help usage lines:\n${missing.join('\n')}`).toEqual([]);
  });

  it('names no command line the CLI does not have', () => {
    const known = new Set([...usages(), 'aos-bundle --help | --version']);
    const extra = synopsis().filter((l) => !known.has(l));
    expect(extra, `README lines --help does not print:\n${extra.join('\n')}`).toEqual([]);
  });
});
