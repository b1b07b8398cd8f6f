// Hostile config texts: wrong encodings, NUL bytes, huge and deeply nested documents. Each
// gets one clear, positioned diagnostic from the pure parse step (what the CLI, the signer
// and the editor's live diagnostics all run), never a crash or "Maximum call stack size".
import { checkServiceConfig, CONFIG_MAX_BYTES, CONFIG_MAX_NESTING, parseServiceConfig } from '../../../src/shared/service-config';
import { config, errors } from './helpers';

/** What main hands the parse step: the file's bytes read as UTF-8. */
const asRead = (bytes: Buffer) => bytes.toString('utf8');

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = endian === 'le' ? le : Buffer.from(le).swap16();
  return Buffer.concat([bom ? Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : Buffer.alloc(0), body]);
}

describe('config text checks', () => {
  it('refuses UTF-16 files (either byte order, with or without a BOM) with one diagnostic at 1:1', () => {
    for (const [endian, bom] of [['le', true], ['be', true], ['le', false], ['be', false]] as const) {
      const parsed = parseServiceConfig(asRead(utf16(config(), endian, bom)));
      expect(parsed.value, `${endian} bom=${bom}`).toBeUndefined();
      const list = checkServiceConfig(parsed.text).diagnostics;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ severity: 'error', code: 'not-utf8', line: 1, column: 1 });
      expect(list[0].message).toMatch(/UTF-16.*save it as UTF-8/);
    }
  });

  it('reports invalid UTF-8 at its line and column, with the key path of the value', () => {
    const text = asRead(Buffer.concat([Buffer.from(config('    hostname: caf')), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]));
    const bad = errors(text).filter((d) => d.code === 'not-utf8');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ line: 13, column: 18, path: 'configuration.hostname' });
    expect(bad[0].message).toMatch(/not valid UTF-8 at line 13, column 18.*\(and 1 more\)/);
  });

  it('reports NUL bytes in values (plain or quoted) at their position', () => {
    for (const [value, column] of [['ab\u0000c', 17], ['"ab\u0000c"', 18]] as const) {
      const text = config(`    hostname: ${value}\n`);
      const nul = errors(text).filter((d) => d.code === 'nul-character');
      expect(nul, value).toHaveLength(1);
      expect(nul[0]).toMatchObject({ line: 13, column, path: 'configuration.hostname' });
      expect(nul[0].message).toContain(`NUL byte at line 13, column ${column}`);
    }
    // In a key or a comment too: the file is not text.
    expect(errors(config('    # a \u0000 comment\n')).map((d) => d.code)).toEqual(['nul-character']);
  });

  it('refuses a text over the size cap without parsing it, naming the cap', () => {
    const text = `${config()}# ${'x'.repeat(CONFIG_MAX_BYTES)}\n`;
    const parsed = parseServiceConfig(text);
    expect(parsed.unreadable).toBe(true);
    const list = checkServiceConfig(text).diagnostics;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'config-too-large', line: 1, column: 1 });
    expect(list[0].message).toContain('1 MiB (1 048 576 bytes)');
    // Counted in UTF-8 bytes: 600 000 two-byte characters are over the cap.
    expect(checkServiceConfig(`# ${'é'.repeat(600_000)}\n`).diagnostics[0].code).toBe('config-too-large');
    // A text right at the cap is read.
    expect(checkServiceConfig(`#${'x'.repeat(CONFIG_MAX_BYTES - 2)}\n`).diagnostics.some((d) => d.code === 'config-too-large')).toBe(false);
  });
});

describe('config nesting', () => {
  const deep: Record<string, string> = {
    'a megabyte of [': '['.repeat(CONFIG_MAX_BYTES - 1),
    'flow maps': `a: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`,
    'block maps by indentation': Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n',
    'compact lists (- - - x)': `${'- '.repeat(100_000)}x\n`,
    'lists under map keys at the same column': Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}a:\n${' '.repeat(i * 2)}-`).join('\n') + ' 1\n',
    'comment lines at column 0 in between': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:\n# c`).join('\n') + ' 1\n',
    'flow inside block': `a:\n  b: ${'[{c: '.repeat(50_000)}\n`,
  };

  for (const [name, text] of Object.entries(deep)) {
    it(`refuses ${name} with a positioned "too deep" error`, () => {
      const list = checkServiceConfig(text).diagnostics;
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ severity: 'error', code: 'too-deep' });
      expect(list[0].message).toMatch(new RegExp(`too deeply at line ${list[0].line}, column ${list[0].column}: more than ${CONFIG_MAX_NESTING} levels`));
      expect(list[0].message).not.toMatch(/call stack/i);
    });
  }

  it('draws the line at the limit, not below it', () => {
    const flow = (n: number) => config(`    cmd2: ${'['.repeat(n)}${']'.repeat(n)}\n`);
    // The block columns on the way count too: `configuration:` (0), `cmd2:` (4), its value (10).
    const codes = (n: number) => checkServiceConfig(flow(n)).diagnostics.map((d) => d.code);
    expect(codes(CONFIG_MAX_NESTING - 3)).not.toContain('too-deep');
    expect(codes(CONFIG_MAX_NESTING - 2)).toContain('too-deep');
    // What real configs nest (permissions: four levels) is far below.
    const permissions = config('    permissions:\n        vis:\n            Signal.Doors.*: rw\n');
    expect(errors(permissions)).toEqual([]);
  });

  it('refuses aliases that expand past the library\'s limit with a clear error', () => {
    const levels = Array.from({ length: 8 }, (_, i) => `b${i}: &b${i} [${Array(10).fill(i ? `*b${i - 1}` : '*a').join(', ')}]`);
    const list = errors(`a: &a [x, x, x, x, x, x, x, x, x, x]\n${levels.join('\n')}\n`);
    expect(list[0].message).toMatch(/cannot be read as data: .*alias/i);
  });
});
