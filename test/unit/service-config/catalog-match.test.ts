import { matchCatalog, type CatalogVersion } from '../../../src/shared/config-common';

const v = (version: string, architecture = 'amd64', uid = 'pylibs'): CatalogVersion => ({ uid, version, architecture, os: 'linux' });

describe('the range picker catalog view (matchCatalog)', () => {
  const catalog = [v('0.9.0'), v('1.0.0-rc.1'), v('1.0.0'), v('1.4.2'), v('2.0.0-rc.1'), v('2.0.0'), v('1.9.0', 'arm64'), v('5.0.0', 'amd64', 'other')];

  it('lists every version of the uid, highest first, selects the highest match and says why others do not match', () => {
    const r = matchCatalog(catalog, 'pylibs', { kind: 'bounds', minVersion: '1.0.0', maxVersion: '2.0.0' }, ['amd64']);
    expect(r.range).toBe('1.0.0 ≤ v < 2.0.0');
    expect(r.rows.map((row) => [row.version, row.architecture, row.status])).toEqual([
      ['2.0.0', 'amd64', 'outside-range'],
      ['2.0.0-rc.1', 'amd64', 'selected'],
      ['1.9.0', 'arm64', 'architecture'],
      ['1.4.2', 'amd64', 'matches'],
      ['1.0.0', 'amd64', 'matches'],
      ['1.0.0-rc.1', 'amd64', 'prerelease'],
      ['0.9.0', 'amd64', 'outside-range'],
    ]);
    expect(r.selected).toEqual({ amd64: '2.0.0-rc.1' });
    const why = Object.fromEntries(r.rows.map((row) => [`${row.version}/${row.architecture}`, row.reason]));
    expect(why['2.0.0-rc.1/amd64']).toMatch(/highest matching amd64 version.*assumes.*pre-release.*precedence/);
    expect(why['1.0.0-rc.1/amd64']).toBe('a pre-release of 1.0.0: by SemVer precedence it comes before 1.0.0, which puts it outside 1.0.0 ≤ v < 2.0.0');
    expect(why['1.9.0/arm64']).toBe('for arm64; the architecture here is amd64');
    expect(why['0.9.0/amd64']).toBe('outside 1.0.0 ≤ v < 2.0.0');
  });

  it('maps build.arch words to OCI names and, with no architecture known, selects per architecture', () => {
    expect(matchCatalog(catalog, 'pylibs', { kind: 'bounds' }, ['x86']).selected).toEqual({ amd64: '2.0.0' });
    expect(matchCatalog(catalog, 'pylibs', { kind: 'bounds', maxVersion: '2.0.0' }).selected).toEqual({ amd64: '2.0.0-rc.1', arm64: '1.9.0' });
  });

  it('reads a dependency constraint with the same rules: ^1.2.0 leaves 2.0.0 pre-releases out', () => {
    const r = matchCatalog(catalog, 'pylibs', { kind: 'constraint', versions: '^1.2.0' }, ['amd64']);
    expect(r.selected).toEqual({ amd64: '1.4.2' });
    expect(r.rows.find((row) => row.version === '2.0.0-rc.1')!.status).toBe('outside-range');
    expect(matchCatalog(catalog, 'pylibs', { kind: 'constraint', versions: '1.0.0' }, ['amd64']).selected).toEqual({ amd64: '1.0.0' });
  });

  it('an exact range selects that version only, and an unknown uid has no rows', () => {
    const r = matchCatalog(catalog, 'pylibs', { kind: 'bounds', minVersion: '1.0.0', maxVersion: '1.0.0' }, ['amd64']);
    expect(r.rows.filter((row) => row.status === 'selected' || row.status === 'matches').map((row) => row.version)).toEqual(['1.0.0']);
    expect(matchCatalog(catalog, 'nope', { kind: 'bounds' }).rows).toEqual([]);
  });
});
