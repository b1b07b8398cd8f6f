import { LruMap } from '../../../src/main/core/cache/lru-map';

describe('LruMap', () => {
  it('drops the least recently used entry beyond its cap; reading refreshes an entry', () => {
    const lru = new LruMap<string, number>(2);
    lru.set('a', 1).set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now newer than b
    lru.set('c', 3);
    expect([...lru.keys()]).toEqual(['a', 'c']);
    expect(lru.get('b')).toBeUndefined();
    lru.set('a', 10); // rewriting refreshes too
    lru.set('d', 4);
    expect([...lru.keys()]).toEqual(['a', 'd']);
    expect(lru.size).toBe(2);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});
