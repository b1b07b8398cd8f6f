import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { certificateSummary } from '../../../src/shared/contract';
import { AppFailure } from '../../../src/shared/errors';
import {
  computeKid,
  decodeKid,
  describeCredentials,
  loadCredentialFile,
  loadPemPair,
  parseCertificateDer,
  requireRsaSigningKey,
  resolveCredentialPath,
  rfc4514,
  serialHex,
  guessRole,
  checkValidityForSigning,
  type LoadedCredentials,
} from '../../../src/main/core/credentials';
import { REAL_BUNDLE_DIR } from '../bundle/real-bundle';
import { CA_SUBJECT, makeCert, makeTestPki, opensslP12, p12, tempDir, type TestIdentity } from './pki-fixtures';

const realSign = path.join(REAL_BUNDLE_DIR, 'package.sign');

const der = (id: TestIdentity) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(id.cert)).getBytes(), 'binary');

async function expectFailure(p: Promise<unknown>, code: string): Promise<AppFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppFailure);
    expect((e as AppFailure).error.code).toBe(code);
    return e as AppFailure;
  }
  throw new Error(`expected a ${code} failure`);
}

let dir: string;
let pki: ReturnType<typeof makeTestPki>;

beforeAll(async () => {
  dir = await tempDir('bs-cred-');
  pki = makeTestPki();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('kid', () => {
  it('matches the real package.sign kid byte for byte for a certificate with that issuer and serial', () => {
    const id = makeCert({
      subject: [{ shortName: 'CN', value: 'someone' }],
      // DER order CN, O, OU: RFC 4514 reverses it.
      issuer: [
        { shortName: 'CN', value: 'Aos SP Issuing CA' },
        { shortName: 'O', value: 'EPAM' },
        { shortName: 'OU', value: 'Aos' },
      ],
      serialHex: '62B17649000AD78B',
    });
    const kid = computeKid(der(id));
    expect(Buffer.from(kid, 'base64').toString()).toBe('OU=Aos,O=EPAM,CN=Aos SP Issuing CA:62B17649000AD78B');
    const header = JSON.parse(Buffer.from(readFileSync(realSign, 'utf8').split('.')[0], 'base64url').toString());
    expect(kid).toBe(header.kid);
  });

  it('pads the serial to even length, drops the DER sign byte, upper-cases', () => {
    expect(serialHex(Buffer.from([0x0a, 0xbc]))).toBe('0ABC');
    expect(serialHex(Buffer.from([0x01]))).toBe('01');
    const id = makeCert({ subject: [{ shortName: 'CN', value: 'x' }], serialHex: '00ff01' });
    expect(serialHex(parseCertificateDer(der(id)).serial)).toBe('FF01');
    const odd = makeCert({ subject: [{ shortName: 'CN', value: 'x' }], serialHex: '0abcde' });
    expect(Buffer.from(computeKid(der(odd)), 'base64').toString()).toBe('CN=x:0ABCDE');
  });

  it('renders RFC 4514: reversed RDNs, short names, dotted OIDs, escapes, multi-valued RDNs', () => {
    expect(
      rfc4514([
        [{ oid: '2.5.4.6', value: 'DE' }],
        [{ oid: '0.9.2342.19200300.100.1.25', value: 'example' }],
        [{ oid: '2.5.4.10', value: 'A, B+C' }],
        [
          { oid: '2.5.4.3', value: ' lead' },
          { oid: '0.9.2342.19200300.100.1.1', value: 'u1' },
        ],
        [{ oid: '1.2.840.113549.1.9.1', value: 'a@b.c' }],
        [{ oid: '2.5.4.7', value: '#x' }, { oid: '2.5.4.8', value: 'trail ' }],
        [{ oid: '2.5.4.9', value: 'Main <St>;"q"\\' }],
      ]),
    ).toBe('STREET=Main \\<St\\>\\;\\"q\\"\\\\,L=\\#x+ST=trail\\ ,1.2.840.113549.1.9.1=a@b.c,CN=\\ lead+UID=u1,O=A\\, B\\+C,DC=example,C=DE');
  });

  it('keeps the e-mail attribute as a dotted OID in a real certificate issuer', () => {
    const ca = makeCert({ subject: [{ shortName: 'CN', value: 'CA' }, { name: 'emailAddress', value: 'ca@x.io' }], serialHex: '05' });
    const leaf = makeCert({ subject: [{ shortName: 'CN', value: 'l' }], issuer: [{ shortName: 'CN', value: 'CA' }, { name: 'emailAddress', value: 'ca@x.io' }], issuerKey: ca.key, serialHex: '1234' });
    expect(Buffer.from(computeKid(der(leaf)), 'base64').toString()).toBe('1.2.840.113549.1.9.1=ca@x.io,CN=CA:1234');
  });

  it('checks the kid format', () => {
    expect(decodeKid(Buffer.from('CN=x:0A').toString('base64')).ok).toBe(true);
    expect(decodeKid(Buffer.from('CN=x:0A').toString('base64url').replace(/=+$/, '')).ok).toBe(false); // missing padding
    expect(decodeKid(Buffer.from('CN=x:0a').toString('base64')).ok).toBe(false); // lower-case
    expect(decodeKid(Buffer.from('CN=x:ABC').toString('base64')).ok).toBe(false); // odd length
    expect(decodeKid(undefined).ok).toBe(false);
  });
});

describe('PKCS#12', () => {
  it('opens an empty-password file (forge and openssl variants) and summarises it per the contract schema', async () => {
    const f = path.join(dir, 'aos-user-sp.p12');
    await fs.writeFile(f, p12(pki.user, [pki.ca.cert], ''));
    const s = await describeCredentials(f);
    expect(certificateSummary.parse(s)).toEqual(s);
    expect(s.subject).toEqual({ commonName: 'jane', organization: 'aoscloud.io', organizationalUnit: 'Acme Services', email: 'jane@example.com' });
    expect(s.issuer).toBe('OU=Aos,O=Test,CN=Test SP Issuing CA');
    expect(s.serialNumber).toBe('62B17649000AD78B');
    expect(s.keyType).toBe('RSA 1024');
    expect(s.status).toBe('valid');
    expect(s.roleGuess).toBe('service provider (guessed from the file name)');

    // A password typed for a file that has none still opens it.
    expect((await describeCredentials(f, 'typed-anyway')).subject.commonName).toBe('jane');

    const nopw = path.join(dir, 'nopw.p12');
    await fs.writeFile(nopw, p12(pki.user, [pki.ca.cert], null));
    expect((await describeCredentials(nopw)).subject.commonName).toBe('jane');

    const o = path.join(dir, 'ossl-empty.p12');
    await fs.writeFile(o, await opensslP12(dir, pki.user.keyPem, pki.user.certPem + pki.ca.certPem, ''));
    expect((await describeCredentials(o)).serialNumber).toBe('62B17649000AD78B');
  });

  it('orders the chain leaf first whatever the order in the file', async () => {
    const f = path.join(dir, 'order.p12');
    const asn1 = forge.pkcs12.toPkcs12Asn1(pki.user.key, [pki.ca.cert, pki.user.cert], '', { algorithm: '3des' });
    await fs.writeFile(f, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
    const c = await loadCredentialFile(f);
    expect(c.chain.map((x) => rfc4514(x.subject))).toEqual(['E=jane@example.com,OU=Acme Services,O=aoscloud.io,CN=jane'.replace('E=', '1.2.840.113549.1.9.1='), 'OU=Aos,O=Test,CN=Test SP Issuing CA']);
    expect(requireRsaSigningKey(c).privateKey.asymmetricKeyType).toBe('rsa');
  });

  it.each(['aes256', '3des'] as const)('opens a password-protected file (%s); wrong or missing password is "wrong-password" without echoing it', async (alg) => {
    const f = path.join(dir, `pw-${alg}.p12`);
    const password = `s3cret-${alg}-Zq`;
    await fs.writeFile(f, p12(pki.user, [pki.ca.cert], password, alg));
    expect((await describeCredentials(f, password)).subject.commonName).toBe('jane');
    const wrongPw = 'not-the-pw-Xy';
    const e = await expectFailure(describeCredentials(f, wrongPw), 'wrong-password');
    expect(e.message).not.toContain(wrongPw);
    expect(e.message).not.toContain(password);
    expect(e.message).toMatch(/wrong password/i);
    const m = await expectFailure(describeCredentials(f), 'wrong-password');
    expect(m.message).toMatch(/protected by a password/);
  });

  it('opens an AES (PBES2) file made by `openssl pkcs12 -export` with a non-ASCII password, which openssl hands PBKDF2 as UTF-8', async () => {
    const password = 'pässwörd€';
    const f = path.join(dir, 'non-ascii-aes.p12');
    await fs.writeFile(f, await opensslP12(dir, pki.user.keyPem, pki.user.certPem + pki.ca.certPem, password, ['-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC']));
    // openssl itself opens it with this password.
    execFileSync('openssl', ['pkcs12', '-in', f, '-noout', '-passin', `pass:${password}`], { stdio: 'pipe' });
    const c = await loadCredentialFile(f, password);
    expect(c.privateKey).toBeDefined();
    expect(rfc4514(c.chain[0].issuer)).toBe('OU=Aos,O=Test,CN=Test SP Issuing CA');
    await expectFailure(loadCredentialFile(f, 'passwörd€'), 'wrong-password');
    await expectFailure(loadCredentialFile(f, password.normalize('NFD')), 'wrong-password');
  });

  it('still opens a file forge wrote with a Latin-1 password (its PBKDF2 takes the characters as bytes)', async () => {
    const password = 'pässwörd';
    const f = path.join(dir, 'forge-latin1.p12');
    await fs.writeFile(f, p12(pki.user, [pki.ca.cert], password, 'aes256'));
    expect((await loadCredentialFile(f, password)).privateKey).toBeDefined();
    await expectFailure(loadCredentialFile(f, 'passwörd'), 'wrong-password');
  });

  it('opens a legacy RC2-40 / 3DES file made by `openssl pkcs12 -export -legacy`', async () => {
    let data: Buffer;
    try {
      data = await opensslP12(dir, pki.user.keyPem, pki.user.certPem + pki.ca.certPem, 'legacy-pw', ['-legacy']);
    } catch {
      console.warn('openssl cannot write -legacy PKCS#12 here (no legacy provider): RC2-40 not tested');
      return;
    }
    const f = path.join(dir, 'legacy.p12');
    await fs.writeFile(f, data);
    // Make sure it really is the legacy encryption.
    const info = execFileSync('openssl', ['pkcs12', '-in', f, '-info', '-noout', '-legacy', '-passin', 'pass:legacy-pw'], { stdio: 'pipe' }).toString();
    void info;
    const c = await loadCredentialFile(f, 'legacy-pw');
    expect(rfc4514(c.chain[0].issuer)).toBe('OU=Aos,O=Test,CN=Test SP Issuing CA');
    await expectFailure(loadCredentialFile(f, 'nope'), 'wrong-password');
  });

  it('rejects a file that is not PKCS#12', async () => {
    const f = path.join(dir, 'junk.p12');
    await fs.writeFile(f, 'hello');
    await expectFailure(describeCredentials(f), 'credentials');
  });
});

describe('PEM', () => {
  it('loads a key + certificate chain pair and an encrypted key', async () => {
    const k = path.join(dir, 'user.key');
    const c = path.join(dir, 'user.crt');
    await fs.writeFile(k, pki.user.keyPem);
    await fs.writeFile(c, pki.user.certPem + pki.ca.certPem);
    const creds = await loadPemPair(k, c);
    expect(creds.chain).toHaveLength(2);
    expect(computeKid(creds.chain[0])).toBe(Buffer.from('OU=Aos,O=Test,CN=Test SP Issuing CA:62B17649000AD78B').toString('base64'));

    const { createPrivateKey } = await import('node:crypto');
    const enc = createPrivateKey(pki.user.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pem-pw' });
    const ek = path.join(dir, 'enc.key');
    await fs.writeFile(ek, enc);
    expect((await loadPemPair(ek, c, 'pem-pw')).privateKey?.asymmetricKeyType).toBe('rsa');
    const e = await expectFailure(loadPemPair(ek, c, 'bad-pem-pw'), 'wrong-password');
    expect(e.message).not.toContain('bad-pem-pw');
    await expectFailure(loadPemPair(ek, c), 'wrong-password');
  });

  it('describes a certificate alone, PEM or DER', async () => {
    const pem = path.join(dir, 'only.crt');
    await fs.writeFile(pem, pki.user.certPem);
    expect((await describeCredentials(pem)).serialNumber).toBe('62B17649000AD78B');
    const derFile = path.join(dir, 'only.cer');
    await fs.writeFile(derFile, der(pki.user));
    const s = await describeCredentials(derFile);
    expect(s.issuer).toBe('OU=Aos,O=Test,CN=Test SP Issuing CA');
    expect(() => requireRsaSigningKey({ source: derFile, chain: [parseCertificateDer(der(pki.user))] })).toThrow(/no private key/);
  });

  it('refuses a key that does not match the certificate', async () => {
    const k = path.join(dir, 'other.key');
    await fs.writeFile(k, pki.ca.keyPem);
    const c = path.join(dir, 'leaf-only.crt');
    await fs.writeFile(c, pki.user.certPem);
    const e = await expectFailure(loadPemPair(k, c), 'credentials');
    expect(e.message).toMatch(/does not belong/);
  });
});

describe('EC keys are refused for signing', () => {
  it('at the key-type check, saying RS256 needs RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const creds: LoadedCredentials = { source: '/x/aos-user-sp.p12', privateKey: ec, chain: [parseCertificateDer(der(pki.user))] };
    try {
      requireRsaSigningKey(creds);
      throw new Error('expected refusal');
    } catch (e) {
      expect((e as AppFailure).error.code).toBe('credentials');
      expect((e as AppFailure).message).toMatch(/EC key \(P-256\).*RS256/);
    }
  });

  it('from a real EC PKCS#12 (openssl): describe shows EC P-256, signing refuses', async () => {
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const kf = path.join(dir, 'ec.key');
    const cf = path.join(dir, 'ec.crt');
    await fs.writeFile(kf, ecPem);
    execFileSync('openssl', ['req', '-x509', '-key', kf, '-out', cf, '-subj', '/CN=ec user/O=aoscloud.io', '-days', '30'], { stdio: 'pipe' });
    const f = path.join(dir, 'aos-user-oem.p12');
    await fs.writeFile(f, await opensslP12(dir, ecPem, await fs.readFile(cf, 'utf8'), ''));
    const s = await describeCredentials(f);
    expect(s.keyType).toBe('EC P-256');
    expect(s.roleGuess).toBe('OEM (guessed from the file name)');
    const creds = await loadCredentialFile(f);
    expect(() => requireRsaSigningKey(creds)).toThrow(/RS256/);
    // And the PEM pair path.
    const pem = await loadPemPair(kf, cf);
    expect(() => requireRsaSigningKey(pem)).toThrow(/RSA key is required/);
  });
});

describe('certificate status and role', () => {
  it('reports expired, not-yet-valid and expires-soon, and signing refuses or warns', () => {
    const now = new Date('2030-06-01T00:00:00Z');
    const mk = (from: string, to: string) => parseCertificateDer(der(makeCert({ subject: CA_SUBJECT, notBefore: new Date(from), notAfter: new Date(to) })));
    const expired = mk('2029-01-01T00:00:00Z', '2030-05-01T00:00:00Z');
    const future = mk('2030-07-01T00:00:00Z', '2031-07-01T00:00:00Z');
    const soon = mk('2029-01-01T00:00:00Z', '2030-06-20T00:00:00Z');
    const fine = mk('2029-01-01T00:00:00Z', '2031-06-20T00:00:00Z');
    expect(() => checkValidityForSigning(expired, '/a.p12', now)).toThrow(/expired/);
    expect(() => checkValidityForSigning(future, '/a.p12', now)).toThrow(/not valid before/);
    expect(checkValidityForSigning(soon, '/a.p12', now)).toMatch(/expires in 19 days/);
    expect(checkValidityForSigning(fine, '/a.p12', now)).toBeUndefined();
  });

  it('describe reports the status for an injected time', async () => {
    const f = path.join(dir, 'aos-user-fleet.p12');
    await fs.writeFile(f, p12(pki.user, [pki.ca.cert], ''));
    const later = new Date(pki.user.cert.validity.notAfter.getTime() - 5 * 86_400_000);
    const s = await describeCredentials(f, undefined, later);
    expect(s.status).toBe('expires-soon');
    expect(s.roleGuess).toBe('fleet owner (guessed from the file name)');
    expect((await describeCredentials(f, undefined, new Date(pki.user.cert.validity.notAfter.getTime() + 1000))).status).toBe('expired');
  });

  it('guesses roles from file names only', () => {
    expect(guessRole('/h/.aos/security/aos-user-sp.p12')).toBe('service provider (guessed from the file name)');
    expect(guessRole('aos-user-oem.p12')).toBe('OEM (guessed from the file name)');
    expect(guessRole('aos-user-fleet.p12')).toBe('fleet owner (guessed from the file name)');
    expect(guessRole('aos-user-admin.p12')).toBe('administrator (guessed from the file name)');
    expect(guessRole('mine.p12')).toBeUndefined();
  });
});

describe('credential lookup', () => {
  it('looks next to config.yaml first, then in ~/.aos/security, and names both places', async () => {
    const meta = path.join(dir, 'svc', 'meta');
    const home = path.join(dir, 'home');
    await fs.mkdir(meta, { recursive: true });
    await fs.mkdir(path.join(home, '.aos', 'security'), { recursive: true });
    await fs.writeFile(path.join(home, '.aos', 'security', 'aos-user-sp.p12'), 'h');
    expect(await resolveCredentialPath('aos-user-sp.p12', { configDir: meta, homeDir: home })).toBe(path.join(home, '.aos', 'security', 'aos-user-sp.p12'));
    await fs.writeFile(path.join(meta, 'aos-user-sp.p12'), 'm');
    expect(await resolveCredentialPath('aos-user-sp.p12', { configDir: meta, homeDir: home })).toBe(path.join(meta, 'aos-user-sp.p12'));
    const e = await expectFailure(resolveCredentialPath('missing.p12', { configDir: meta, homeDir: home, location: { file: 'config.yaml', line: 3 } }), 'credentials');
    expect(e.message).toContain(path.join(meta, 'missing.p12'));
    expect(e.message).toContain(path.join(home, '.aos', 'security', 'missing.p12'));
    expect(e.error.location).toEqual({ file: 'config.yaml', line: 3 });
    await expectFailure(resolveCredentialPath(path.join(dir, 'abs-missing.p12'), { configDir: meta, homeDir: home }), 'credentials');
  });
});

describe('PKCS#12 key decryption', () => {
  const pkcs5 = (forge as unknown as { pkcs5: { pbkdf2: (...a: unknown[]) => string } }).pkcs5;

  it('derives the PBES2 key with Node\'s PBKDF2, not forge\'s JavaScript one, and puts forge back as it was', async () => {
    const file = path.join(dir, 'native-pbkdf2.p12');
    await fs.writeFile(file, p12(pki.user, [pki.ca.cert], 'secret', 'aes256'));
    const before = pkcs5.pbkdf2;
    const forgePbkdf2 = vi.spyOn(pkcs5, 'pbkdf2');
    try {
      const creds = await loadCredentialFile(file, 'secret');
      expect(requireRsaSigningKey(creds).leaf.der.equals(der(pki.user))).toBe(true);
      expect(forgePbkdf2).not.toHaveBeenCalled();
      expect(pkcs5.pbkdf2).toBe(forgePbkdf2);
    } finally {
      forgePbkdf2.mockRestore();
    }
    expect(pkcs5.pbkdf2).toBe(before);
  });

  it('leaves a password forge does not read as bytes to forge, and still opens the file', async () => {
    const file = path.join(dir, 'wide-password.p12');
    await fs.writeFile(file, p12(pki.user, [pki.ca.cert], 'pass€', 'aes256'));
    const forgePbkdf2 = vi.spyOn(pkcs5, 'pbkdf2');
    try {
      const creds = await loadCredentialFile(file, 'pass€');
      expect(requireRsaSigningKey(creds).leaf.der.equals(der(pki.user))).toBe(true);
      expect(forgePbkdf2).toHaveBeenCalled();
    } finally {
      forgePbkdf2.mockRestore();
    }
  });
});
