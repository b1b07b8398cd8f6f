import { describeLayerRange, layerRangeMatches } from '../../../src/shared/service-config';

describe('describeLayerRange', () => {
  it('describes both bounds with min included and max excluded', () => {
    expect(describeLayerRange('1.0.0', '2.0.0')).toBe('1.0.0 ≤ v < 2.0.0');
  });
  it('describes equal bounds as an exact version', () => {
    expect(describeLayerRange('1.2.0', '1.2.0')).toBe('exactly 1.2.0');
  });
  it('describes one-sided and open ranges', () => {
    expect(describeLayerRange('1.0.0')).toBe('v ≥ 1.0.0');
    expect(describeLayerRange(undefined, '2.0.0')).toBe('v < 2.0.0');
    expect(describeLayerRange()).toBe('any version');
    expect(describeLayerRange('', '')).toBe('any version');
  });
});

describe('layerRangeMatches (SemVer precedence, pre-releases included)', () => {
  it('includes min and excludes max', () => {
    expect(layerRangeMatches('1.0.0', '1.0.0', '2.0.0')).toBe(true);
    expect(layerRangeMatches('1.9.9', '1.0.0', '2.0.0')).toBe(true);
    expect(layerRangeMatches('2.0.0', '1.0.0', '2.0.0')).toBe(false);
    expect(layerRangeMatches('0.9.0', '1.0.0', '2.0.0')).toBe(false);
  });
  it('orders pre-releases by precedence, unlike semver.satisfies', () => {
    expect(layerRangeMatches('2.0.0-rc.1', '1.0.0', '2.0.0')).toBe(true);
    expect(layerRangeMatches('1.5.0-beta', '1.0.0', '2.0.0')).toBe(true);
    expect(layerRangeMatches('1.0.0-rc.1', '1.0.0', '2.0.0')).toBe(false);
  });
  it('matches exactly one version when min equals max', () => {
    expect(layerRangeMatches('1.2.0', '1.2.0', '1.2.0')).toBe(true);
    expect(layerRangeMatches('1.2.1', '1.2.0', '1.2.0')).toBe(false);
    expect(layerRangeMatches('1.2.0-rc.1', '1.2.0', '1.2.0')).toBe(false);
  });
  it('handles one-sided and open ranges', () => {
    expect(layerRangeMatches('9.0.0', '1.0.0')).toBe(true);
    expect(layerRangeMatches('0.1.0', '1.0.0')).toBe(false);
    expect(layerRangeMatches('1.9.0', undefined, '2.0.0')).toBe(true);
    expect(layerRangeMatches('3.0.0')).toBe(true);
  });
  it('never matches invalid versions or bounds', () => {
    expect(layerRangeMatches('1.0', '1.0.0', '2.0.0')).toBe(false);
    expect(layerRangeMatches('v1.5.0', '1.0.0', '2.0.0')).toBe(false);
    expect(layerRangeMatches('1.5.0', '1.0', '2.0.0')).toBe(false);
  });
});
