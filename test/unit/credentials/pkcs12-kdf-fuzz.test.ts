// nativePkcs12Key against forge's own derivation on seeded random inputs, beyond the fixed
// table of pkcs12-kdf.test.ts: passwords and salts whose lengths fall on and next to a
// digest's block (64 and 128 bytes: the password as UTF-16 with its terminator), characters
// outside Latin-1 and lone surrogates, SHA-384 (128-byte blocks), key lengths that are not a
// multiple of the digest, 0 bytes, and digests Node does not compute the forge way (forge's).
import forge from 'node-forge';
import { nativePkcs12Key } from '../../../src/main/core/credentials/load';
import { prng } from '../../support/prng';

type Kdf = Parameters<typeof nativePkcs12Key>[0];
const pbe = (forge.pki as unknown as { pbe: { generatePkcs12Key: Kdf } }).pbe;
const forgeKdf: Kdf = (...args) => pbe.generatePkcs12Key(...args);
const ours = nativePkcs12Key(forgeKdf);
const hex = (b: forge.util.ByteStringBuffer) => forge.util.bytesToHex(b.bytes());

const DIGESTS: (() => forge.md.MessageDigest | undefined)[] = [
  () => undefined,
  () => forge.md.sha1.create(),
  () => forge.md.sha256.create(),
  () => forge.md.sha384.create(),
  () => forge.md.sha512.create(),
  () => forge.md.md5.create(),
];

describe('nativePkcs12Key gives forge\'s bytes (seeded random inputs)', () => {
  it('for 3000 random passwords, salts, ids, counts, lengths and digests', () => {
    const r = prng(12);
    const rint = (n: number) => Math.floor(r() * n);
    const mismatches: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const lengths = [0, 1, 31, 32, 63, 64, 65, 127, 128, rint(200)];
      const pwLen = lengths[rint(lengths.length)];
      let password: string | null | undefined = '';
      const kind = r();
      if (kind < 0.05) password = null;
      else if (kind < 0.1) password = undefined;
      else {
        for (let j = 0; j < pwLen; j++) {
          const c = r();
          password += String.fromCharCode(c < 0.6 ? 0x20 + rint(95) : c < 0.8 ? rint(256) : c < 0.9 ? 0xd800 + rint(0x800) : rint(0x10000));
        }
      }
      let salt = '';
      const saltLen = lengths[rint(lengths.length)];
      for (let j = 0; j < saltLen; j++) salt += String.fromCharCode(rint(256));
      const id = 1 + rint(3);
      const iter = [1, 2, 3, 17, 1 + rint(50)][rint(5)];
      const n = [0, 1, 5, 8, 20, 24, 32, 48, 64, 65, 100, rint(300)][rint(12)];
      const which = rint(DIGESTS.length);
      const expected = hex(forgeKdf(password, forge.util.createBuffer(salt), id, iter, n, DIGESTS[which]()));
      const got = hex(ours(password, forge.util.createBuffer(salt), id, iter, n, DIGESTS[which]()));
      if (got !== expected) mismatches.push(`case ${i}: pw ${JSON.stringify(password)} salt ${saltLen} id ${id} iter ${iter} n ${n} md ${which}`);
    }
    expect(mismatches).toEqual([]);
  });
});
