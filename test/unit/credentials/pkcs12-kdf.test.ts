// The PKCS#12 key derivation (RFC 7292 B.2) by Node's crypto (core/credentials/load.ts
// nativePkcs12Key) gives forge's bytes for every input forge takes: the MAC key of every
// PKCS#12 and the keys of its PKCS#12 PBE schemes come from it.
import forge from 'node-forge';
import { nativePkcs12Key } from '../../../src/main/core/credentials/load';

type Kdf = Parameters<typeof nativePkcs12Key>[0];
// forge's own, which @types/node-forge does not declare.
const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: Kdf } }).pbe;
const forgeKdf: Kdf = (...args) => pbe.generatePkcs12Key(...args);
let fellBack = 0;
const ours = nativePkcs12Key((...args) => {
  fellBack++;
  return forgeKdf(...args);
});
beforeEach(() => {
  fellBack = 0;
});
const hex = (b: forge.util.ByteStringBuffer) => forge.util.bytesToHex(b.bytes());

describe('the PKCS#12 key derivation by Node\'s crypto', () => {
  const salts = ['', '\x01\x02\x03\x04\x05\x06\x07\x08', 'a-salt-longer-than-one-sha1-block-of-sixty-four-bytes-0123456789abcdef'];
  const passwords: (string | null)[] = [null, '', 'secret', 'pässwörd €', 'x'.repeat(70)];
  const digests = [undefined, forge.md.sha1.create(), forge.md.sha256.create(), forge.md.sha512.create()];

  it.each(digests.map((md) => [md ? md.algorithm : 'sha1 (no md given)', md] as const))('%s: forge\'s key for every password, salt, id, count and length', (_name, md) => {
    let compared = 0;
    for (const password of passwords) {
      for (const salt of salts) {
        for (const id of [1, 2, 3]) {
          for (const [iter, n] of [[1, 20], [3, 24], [2048, 32], [7, 100]]) {
            const expected = hex(forgeKdf(password, forge.util.createBuffer(salt), id, iter, n, md));
            expect(hex(ours(password, forge.util.createBuffer(salt), id, iter, n, md))).toBe(expected);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(passwords.length * salts.length * 3 * 4);
    expect(fellBack).toBe(0); // every key above was Node's
  });

  it('leaves the salt buffer unread, as forge does', () => {
    const salt = forge.util.createBuffer('saltsalt');
    ours('pw', salt, 1, 10, 20, forge.md.sha1.create());
    expect(salt.bytes()).toBe('saltsalt');
  });

  it('passes what it does not cover to forge: fewer than one round is forge\'s error', () => {
    expect(() => ours('pw', forge.util.createBuffer('s'), 1, 0, 20, forge.md.sha1.create())).toThrow(/iteration count must be >= 1/);
    expect(fellBack).toBe(1);
  });
});
