import { cli } from './helpers';
import { tempDirPerTest } from '../../support/temp-dir';

const tmp = tempDirPerTest();

describe('aos-bundle layer (the subcommand dispatcher)', () => {
  it('is listed in the main help and answers --help itself (exit 0)', async () => {
    const main = await cli(['--help'], tmp.path);
    expect(main.stdout).toMatch(/\n {2}layer +layer images/);
    const help = await cli(['layer', '--help'], tmp.path);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: aos-bundle layer <subcommand> [options]');
    expect(help.stdout).toContain('Subcommands:');
  });

  it('without a subcommand prints the help as a usage error; an unknown one is a usage error (exit 2)', async () => {
    const bare = await cli(['layer'], tmp.path);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Subcommands:');
    const unknown = await cli(['layer', 'frobnicate'], tmp.path);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'frobnicate'");
  });
});
