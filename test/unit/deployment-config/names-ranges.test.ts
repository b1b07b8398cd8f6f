// The pure helpers the wizard and the forms use: layer image names, SemVer constraints in
// words and to/from the range picker, binary sizes.
import {
  constraintFromRange,
  describeVersionConstraint,
  parseBinarySize,
  parseLayerImageName,
  rangeFromConstraint,
  versionConstraintMatches,
  versionConstraintProblem,
} from '../../../src/shared/deployment-config';

describe('parseLayerImageName', () => {
  it('reads <os>-<arch>-<version>.tar.gz, from a bare name or a path', () => {
    expect(parseLayerImageName('linux-amd64-1.0.0.tar.gz')).toEqual({ os: 'linux', arch: 'amd64', architecture: 'amd64', version: '1.0.0' });
    expect(parseLayerImageName('aos-pylibs-layer/linux-arm64-1.0.0.tar.gz')).toMatchObject({ architecture: 'arm64', version: '1.0.0' });
    expect(parseLayerImageName('C:\\layers\\linux-arm64-2.1.0.tar.gz')).toMatchObject({ version: '2.1.0' });
  });

  it('keeps hyphens of pre-release versions', () => {
    expect(parseLayerImageName('linux-amd64-1.0.0-rc.1.tar.gz')).toMatchObject({ version: '1.0.0-rc.1' });
  });

  it('maps v1 and kernel architecture names to OCI ones', () => {
    expect(parseLayerImageName('linux-x86_64-1.0.0.tar.gz')).toMatchObject({ arch: 'x86_64', architecture: 'amd64' });
    expect(parseLayerImageName('linux-aarch64-1.0.0.tar.gz')).toMatchObject({ architecture: 'arm64' });
    expect(parseLayerImageName('linux-armv7-1.0.0.tar.gz')).toMatchObject({ architecture: 'arm', variant: 'v7' });
    expect(parseLayerImageName('linux-mips-1.0.0.tar.gz')).toEqual({ os: 'linux', arch: 'mips', version: '1.0.0' });
  });

  it('refuses other names', () => {
    for (const name of ['linux-amd64-1.0.tar.gz', 'linux-amd64-1.0.0.tgz', 'layer.tar.gz', 'linux-amd64.tar.gz', 'linux-amd64-v1.0.0.tar.gz']) {
      expect(parseLayerImageName(name), name).toBeUndefined();
    }
  });
});

describe('SemVer constraints', () => {
  it.each([
    ['>=1.0.0 <2.0.0', '1.0.0 ≤ v < 2.0.0'],
    ['^1.2.0', '1.2.0 ≤ v < 2.0.0 (no 2.0.0 pre-release)'],
    ['1.0.0', 'exactly 1.0.0'],
    ['*', 'any version'],
    ['>=1.0.0', 'v ≥ 1.0.0'],
    ['<2.0.0', 'v < 2.0.0'],
    ['>1.0.0 <=2.0.0 || 3.0.0', '1.0.0 < v ≤ 2.0.0 or exactly 3.0.0'],
  ])('%s reads "%s"', (text, words) => {
    expect(describeVersionConstraint(text)).toBe(words);
  });

  it('says why a constraint is invalid', () => {
    expect(versionConstraintProblem('latest')).toContain('not a SemVer constraint');
    expect(versionConstraintProblem('')).toContain('empty');
    expect(describeVersionConstraint('latest')).toBeUndefined();
  });

  it('matches by SemVer precedence, pre-releases included (layers.md §3)', () => {
    expect(versionConstraintMatches('1.5.0', '>=1.0.0 <2.0.0')).toBe(true);
    expect(versionConstraintMatches('2.0.0-rc.1', '>=1.0.0 <2.0.0')).toBe(true);
    expect(versionConstraintMatches('1.0.0-rc.1', '>=1.0.0 <2.0.0')).toBe(false);
    expect(versionConstraintMatches('2.0.0', '>=1.0.0 <2.0.0')).toBe(false);
    expect(versionConstraintMatches('v1.0.0', '*')).toBe(false);
  });

  it('round-trips with the range picker (min included, max excluded, equal means exactly)', () => {
    expect(constraintFromRange('1.0.0', '2.0.0')).toBe('>=1.0.0 <2.0.0');
    expect(constraintFromRange('1.2.0', '1.2.0')).toBe('1.2.0');
    expect(constraintFromRange('1.0.0')).toBe('>=1.0.0');
    expect(constraintFromRange(undefined, '2.0.0')).toBe('<2.0.0');
    expect(constraintFromRange()).toBe('*');
    for (const [min, max] of [['1.0.0', '2.0.0'], ['1.2.0', '1.2.0'], ['1.0.0', undefined], [undefined, '2.0.0'], [undefined, undefined]]) {
      const back = rangeFromConstraint(constraintFromRange(min, max));
      expect(back).toEqual({ ...(min ? { minVersion: min } : {}), ...(max ? { maxVersion: max } : {}) });
    }
  });

  it('a constraint the picker cannot show is left to the text field', () => {
    expect(rangeFromConstraint('^1.2.0')).toBeUndefined();
    expect(rangeFromConstraint('>=1.0.0 || 3.0.0')).toBeUndefined();
    expect(rangeFromConstraint('latest')).toBeUndefined();
  });
});

describe('parseBinarySize', () => {
  it('reads binary units (unlike v1) and plain bytes', () => {
    expect(parseBinarySize('128MiB')?.bytes).toBe(128 * 1024 * 1024);
    expect(parseBinarySize('64Ki')?.bytes).toBe(65536);
    expect(parseBinarySize('1GiB')?.bytes).toBe(1024 ** 3);
    expect(parseBinarySize(4096)?.bytes).toBe(4096);
    expect(parseBinarySize('128M')).toBeNull();
  });
});
