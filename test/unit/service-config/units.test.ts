import { parseDuration, parseSize } from '../../../src/shared/service-config';

describe('parseSize (v1 upload tool units)', () => {
  it.each([
    [100, 100, 'bytes'],
    ['100', 100, 'bytes'],
    ['100M', 100_000_000, 'decimal (M = 1000000)'],
    ['200MB', 200_000_000, 'decimal (M = 1000000)'],
    ['64KB', 64_000, 'decimal (k = 1000)'],
    ['32Kb', 32_000, 'decimal (k = 1000)'],
    ['2kB', 2_000, 'decimal (k = 1000)'],
    ['8mb', 8_000_000, 'decimal (M = 1000000)'],
    ['1GB', 1_000_000_000, 'decimal (G = 1000000000)'],
    ['1.5g', 1_500_000_000, 'decimal (G = 1000000000)'],
    ['1.1k', 1_100, 'decimal (k = 1000)'],
    ['4Ki', 4_096, 'binary (Ki = 1024)'],
    ['4ki', 4_096, 'binary (Ki = 1024)'],
  ])('%s is %d bytes', (input, bytes, convention) => {
    expect(parseSize(input)).toEqual({ bytes, convention });
  });

  it.each(['100MiB', '1Mi', '2GiB', '1KiB', 'M', '', '-5', '10 parsecs', '1e3', '0x10'])('rejects %j', (input) => {
    expect(parseSize(input)).toBeNull();
  });

  it('rejects negative and non-finite numbers', () => {
    expect(parseSize(-1)).toBeNull();
    expect(parseSize(Infinity)).toBeNull();
  });
});

describe('parseDuration (ISO 8601)', () => {
  it.each([
    ['PT10S', 10],
    ['PT1M', 60],
    ['PT1H', 3600],
    ['P1D', 86_400],
    ['P1DT3H', 97_200],
    ['PT1M30S', 90],
    ['PT0.5S', 0.5],
    ['P1W', 604_800],
    ['P1Y', 365 * 86_400],
    ['P1M', 30 * 86_400],
  ])('%s is %d s', (input, seconds) => {
    expect(parseDuration(input)).toEqual({ seconds });
  });

  it.each(['PT', 'P', '10s', 'pt10s', 'PT10', 'P1H', 'T10S', 'PT10S ', '', 'P1DT', 'PT-1S'])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});
