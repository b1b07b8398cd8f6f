// Loading signing credentials: PKCS#12 (node-forge: empty password by default, password
// protected, legacy RC2-40 / 3DES, modern PBES2-AES) or PEM key + certificate (chain).
// Keys end up as node:crypto KeyObjects, certificates as their original DER bytes.
import { createHash, createPrivateKey, pbkdf2Sync, X509Certificate, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { appError, AppFailure, errnoCause } from '../../../shared/errors';
import { parseCertificateDer, pemBlocks, type ParsedCertificate } from './x509';

export interface LoadedCredentials {
  /** The file(s) read, for messages. */
  source: string;
  /** The private key; undefined when only certificates were given (describe only). */
  privateKey?: KeyObject;
  /** Leaf first, then the rest of the chain in issuer order when it can be followed. */
  chain: ParsedCertificate[];
}

export type CredentialFiles =
  | { kind: 'pkcs12'; path: string }
  | { kind: 'pem'; keyPath: string; certPath: string };

const PASSWORD_ERROR = /MAC could not be verified|Invalid password|wrong password|Failed to decrypt|Unable to decrypt|Too few bytes|Unparsed DER|bad decrypt/i;

async function readFile(p: string): Promise<Buffer> {
  try {
    return await fs.readFile(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const cause = code ? `${errnoCause(code) ?? 'the system refused'} (${code})` : (e as Error).message;
    throw appError(code === 'ENOENT' ? 'credentials' : 'io', `Cannot read credential file ${p}: ${cause}.`, { file: p });
  }
}

/**
 * Decodes a PFX with forge while keeping every bag's original ASN.1. forge turns RSA keys and
 * certificates into its own models (and gives up on EC ones); its certificate model flattens
 * multi-valued RDNs, which would change the kid. Making the two converters throw during the
 * (synchronous) call makes forge keep the raw ASN.1 in `bag.asn1` for every bag.
 */
function decodePfx(pfxAsn1: forge.asn1.Asn1, password: string | null, pbes2Password: Pbes2Password = 'characters'): forge.pkcs12.Pkcs12Pfx {
  const pki = forge.pki as unknown as Record<string, unknown>;
  const pkcs5 = (forge as unknown as { pkcs5: { pbkdf2: Pbkdf2 } }).pkcs5;
  const origCert = pki.certificateFromAsn1;
  const origKey = pki.privateKeyFromAsn1;
  const origPbkdf2 = pkcs5.pbkdf2;
  // forge's MAC check calls its own copy of the function (pkcs12.generateKey), its PBE schemes pbe's.
  const pbe = (pki as { pbe: { generatePkcs12Key: Pkcs12Kdf } }).pbe;
  const p12 = forge.pkcs12 as unknown as { generateKey: Pkcs12Kdf };
  const origPkcs12Key = pbe.generatePkcs12Key;
  const origP12Key = p12.generateKey;
  const keepRaw = () => {
    throw new Error('keep raw ASN.1');
  };
  pki.certificateFromAsn1 = keepRaw;
  pki.privateKeyFromAsn1 = keepRaw;
  pkcs5.pbkdf2 = nativePbkdf2(origPbkdf2, pbes2Password);
  pbe.generatePkcs12Key = nativePkcs12Key(origPkcs12Key);
  p12.generateKey = nativePkcs12Key(origP12Key);
  try {
    return forge.pkcs12.pkcs12FromAsn1(pfxAsn1, false, password as string);
  } finally {
    pki.certificateFromAsn1 = origCert;
    pki.privateKeyFromAsn1 = origKey;
    pkcs5.pbkdf2 = origPbkdf2;
    pbe.generatePkcs12Key = origPkcs12Key;
    p12.generateKey = origP12Key;
  }
}

/** forge's PKCS#12 key derivation (RFC 7292 B.2): the MAC key, and keys of the PKCS#12 PBE schemes. */
type Pkcs12Kdf = (password: string | null | undefined, salt: forge.util.ByteStringBuffer, id: number, iter: number, n: number, md?: unknown) => forge.util.ByteStringBuffer;

/**
 * RFC 7292 B.2 by Node's crypto: forge iterates SHA-1 in JavaScript for the MAC key of every
 * PKCS#12 (2 048 rounds: ~60 ms of each sign and upload before anything else could start).
 * Step for step forge's own (its password as UTF-16 code units with a 0 terminator, none for
 * a null password); forge's code for anything it does not cover.
 */
export function nativePkcs12Key(forgeKdf: Pkcs12Kdf): Pkcs12Kdf {
  return (password, salt, id, iter, n, md) => {
    const digest = md && typeof md === 'object' ? (md as { algorithm?: unknown; digestLength?: unknown; blockLength?: unknown }) : undefined;
    const algorithm = digest ? digest.algorithm : 'sha1';
    const u = digest ? digest.digestLength : 20;
    const v = digest ? digest.blockLength : 64;
    if (typeof algorithm !== 'string' || !NATIVE_PRF.has(algorithm) || typeof u !== 'number' || typeof v !== 'number' || !(iter >= 1) || typeof salt?.bytes !== 'function') {
      return forgeKdf(password, salt, id, iter, n, md);
    }
    let pass = Buffer.alloc(0);
    if (password !== null && password !== undefined) {
      pass = Buffer.alloc(password.length * 2 + 2);
      for (let l = 0; l < password.length; l++) pass.writeUInt16BE(password.charCodeAt(l), l * 2);
    }
    const saltBytes = Buffer.from(salt.bytes(), 'latin1');
    const repeated = (src: Buffer, len: number) => {
      const out = Buffer.alloc(len);
      for (let l = 0; l < len; l++) out[l] = src[l % src.length];
      return out;
    };
    const I = Buffer.concat([repeated(saltBytes, v * Math.ceil(saltBytes.length / v)), repeated(pass, v * Math.ceil(pass.length / v))]);
    const D = Buffer.alloc(v, id);
    const parts: Buffer[] = [];
    for (let i = 1; i <= Math.ceil(n / u); i++) {
      let A = createHash(algorithm).update(D).update(I).digest();
      for (let round = 1; round < iter; round++) A = createHash(algorithm).update(A).digest();
      const B = repeated(A, v);
      // Each v-byte block of I becomes (block + B + 1) mod 2^(8v).
      for (let j = 0; j < I.length; j += v) {
        let x = 0x1ff;
        for (let l = v - 1; l >= 0; l--) {
          x >>= 8;
          x += B[l] + I[j + l];
          I[j + l] = x & 0xff;
        }
      }
      parts.push(A);
    }
    return forge.util.createBuffer(Buffer.concat(parts).subarray(0, n).toString('latin1'));
  };
}

/** forge's PBKDF2: binary strings in and out, the PRF's digest given as a forge message digest. */
type Pbkdf2 = (password: string, salt: string, iterations: number, keyLength: number, md?: unknown) => string;

/**
 * The bytes PBES2 (PBKDF2) takes of the password, which RFC 8018 leaves to the writer: its
 * UTF-8 (openssl, and so the files users make), or its characters as bytes (forge, which wrote
 * a file with a Latin-1 password that way). The MAC and the PKCS#12 PBE schemes take it as
 * UTF-16 either way. The two differ only for a password with a character beyond ASCII.
 */
type Pbes2Password = 'utf8' | 'characters';

/** forge digests Node's crypto computes the same way (forge's `md.algorithm` names). */
const NATIVE_PRF = new Set(['sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/**
 * PBKDF2 by Node's crypto for the PBES2 keys of a PKCS#12 (the private key's encryption):
 * forge computes it in JavaScript whenever the PRF is not SHA-1, which took about a third of a
 * second per sign, before any byte was compressed. Same bytes in, same key out; forge's own
 * code for anything else (a password with characters forge would not read as bytes, a digest
 * Node does not name alike). With `utf8`, the password's UTF-8 bytes go in, as openssl's do.
 */
function nativePbkdf2(forgePbkdf2: Pbkdf2, pbes2Password: Pbes2Password): Pbkdf2 {
  return (given, salt, iterations, keyLength, md) => {
    const password = pbes2Password === 'utf8' && typeof given === 'string' ? Buffer.from(given, 'utf8').toString('latin1') : given;
    const algorithm = md && typeof md === 'object' ? (md as { algorithm?: unknown }).algorithm : undefined;
    const bytesOnly = (s: unknown) => typeof s === 'string' && !/[\u0100-\uffff]/.test(s);
    if (typeof algorithm !== 'string' || !NATIVE_PRF.has(algorithm) || !bytesOnly(password) || !bytesOnly(salt)) {
      return forgePbkdf2(password, salt, iterations, keyLength, md);
    }
    return pbkdf2Sync(Buffer.from(password, 'latin1'), Buffer.from(salt, 'latin1'), iterations, keyLength, algorithm).toString('latin1');
  };
}

function toDer(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function readPkcs12(data: Buffer, source: string, password?: string): LoadedCredentials {
  const name = path.basename(source);
  let pfxAsn1: forge.asn1.Asn1;
  try {
    pfxAsn1 = forge.asn1.fromDer(forge.util.createBuffer(data.toString('binary')), false);
  } catch {
    throw appError('credentials', `${name} is not a PKCS#12 file.`, { file: source });
  }
  // The platform's tool writes PKCS#12 files with an empty password; depending on the
  // writer the MAC uses an empty or an absent password, so both are tried (also after a
  // typed password, in case the file has none).
  // A password beyond ASCII is tried with its UTF-8 for PBES2 first (openssl's), then as forge writes it.
  const typed: [string, Pbes2Password][] = !password ? [] : /[\u0080-\uffff]/.test(password) ? [[password, 'utf8'], [password, 'characters']] : [[password, 'characters']];
  const attempts: [string | null, Pbes2Password][] = [...typed, ['', 'characters'], [null, 'characters']];
  let pfx: forge.pkcs12.Pkcs12Pfx | undefined;
  let passwordProblem = false;
  let otherProblem: string | undefined;
  for (const [attempt, pbes2Password] of attempts) {
    try {
      pfx = decodePfx(pfxAsn1, attempt, pbes2Password);
      break;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (PASSWORD_ERROR.test(msg)) passwordProblem = true;
      else otherProblem = msg;
    }
  }
  if (!pfx) {
    if (passwordProblem) {
      throw appError(
        'wrong-password',
        password ? `Wrong password for ${name}.` : `${name} is protected by a password: enter it to continue.`,
        { file: source },
      );
    }
    throw appError('credentials', `Cannot read ${name} as PKCS#12: ${otherProblem ?? 'unknown format'}.`, { file: source });
  }

  const keys: KeyObject[] = [];
  const certs: ParsedCertificate[] = [];
  try {
    for (const safe of pfx.safeContents) {
      for (const bag of safe.safeBags) {
        const raw = (bag as unknown as { asn1?: forge.asn1.Asn1 }).asn1;
        if (!raw) continue;
        if (bag.type === forge.pki.oids.certBag) certs.push(parseCertificateDer(toDer(raw)));
        else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
          keys.push(createPrivateKey({ key: toDer(raw), format: 'der', type: 'pkcs8' }));
        }
      }
    }
  } catch (e) {
    if (e instanceof AppFailure) throw e;
    throw appError('credentials', `${name} holds a key or certificate that cannot be read: ${(e as Error).message}`, { file: source });
  }
  if (keys.length > 1) throw appError('credentials', `${name} holds ${keys.length} private keys; expected one.`, { file: source });
  return assemble(source, keys[0], certs);
}

/** Orders certificates leaf first (the one matching the key, else the one nobody issued), then up the chain. */
function assemble(source: string, key: KeyObject | undefined, certs: ParsedCertificate[]): LoadedCredentials {
  const name = path.basename(source);
  if (certs.length === 0) throw appError('credentials', `${name} holds no certificate.`, { file: source });
  let leafIndex = -1;
  if (key) {
    leafIndex = certs.findIndex((c) => {
      try {
        return new X509Certificate(c.der).checkPrivateKey(key);
      } catch {
        return false;
      }
    });
    if (leafIndex < 0) {
      throw appError('credentials', `The private key in ${name} does not belong to any of its certificates.`, { file: source });
    }
  } else {
    leafIndex = 0;
  }
  const rest = certs.filter((_, i) => i !== leafIndex);
  const chain = [certs[leafIndex]];
  const sameName = (a: ParsedCertificate['issuer'], b: ParsedCertificate['issuer']) => JSON.stringify(a) === JSON.stringify(b);
  for (;;) {
    const last = chain[chain.length - 1];
    if (sameName(last.issuer, last.subject)) break;
    const next = rest.findIndex((c) => sameName(c.subject, last.issuer));
    if (next < 0) break;
    chain.push(rest.splice(next, 1)[0]);
  }
  chain.push(...rest);
  return { source, privateKey: key, chain };
}

function keyFromPem(text: string, source: string, password?: string): KeyObject | undefined {
  const keyBlock = pemBlocks(text).find((b) => /PRIVATE KEY$/.test(b.label));
  if (!keyBlock) return undefined;
  const encrypted = /ENCRYPTED PRIVATE KEY/.test(keyBlock.label) || /Proc-Type:\s*4,ENCRYPTED/.test(keyBlock.text);
  const name = path.basename(source);
  if (encrypted && !password) {
    throw appError('wrong-password', `The key in ${name} is protected by a password: enter it to continue.`, { file: source });
  }
  try {
    return createPrivateKey(encrypted ? { key: keyBlock.text, format: 'pem', passphrase: password } : { key: keyBlock.text, format: 'pem' });
  } catch (e) {
    if (encrypted) throw appError('wrong-password', `Wrong password for the key in ${name}.`, { file: source });
    throw appError('credentials', `Cannot read the private key in ${name}: ${(e as Error).message}`, { file: source });
  }
}

function certsFromFile(data: Buffer, source: string): ParsedCertificate[] {
  const text = data.toString('latin1');
  try {
    if (text.includes('-----BEGIN')) {
      return pemBlocks(text)
        .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
        .map((b) => parseCertificateDer(b.der));
    }
    return [parseCertificateDer(data)];
  } catch (e) {
    throw appError('credentials', `Cannot read the certificate in ${path.basename(source)}: ${(e as Error).message}`, { file: source });
  }
}

export async function loadPemPair(keyPath: string, certPath: string, password?: string): Promise<LoadedCredentials> {
  const [keyData, certData] = await Promise.all([readFile(keyPath), readFile(certPath)]);
  const key = keyFromPem(keyData.toString('latin1'), keyPath, password);
  if (!key) throw appError('credentials', `${path.basename(keyPath)} holds no PEM private key.`, { file: keyPath });
  const certs = certsFromFile(certData, certPath);
  if (certs.length === 0) throw appError('credentials', `${path.basename(certPath)} holds no certificate.`, { file: certPath });
  return assemble(`${keyPath} + ${certPath}`, key, certs);
}

const P12_EXT = /\.(p12|pfx)$/i;

/** Reads one credential file of any supported kind: PKCS#12, PEM (key and/or certificates) or a DER certificate. */
export async function loadCredentialFile(file: string, password?: string): Promise<LoadedCredentials> {
  const data = await readFile(file);
  if (P12_EXT.test(file)) return readPkcs12(data, file, password);
  const text = data.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const key = keyFromPem(text, file, password);
    const certs = certsFromFile(data, file);
    if (certs.length === 0) throw appError('credentials', `${path.basename(file)} holds no certificate.`, { file });
    return assemble(file, key, certs);
  }
  // Binary: a PKCS#12 without the usual extension, or a DER certificate.
  try {
    return readPkcs12(data, file, password);
  } catch (e) {
    if (e instanceof AppFailure && e.error.code === 'wrong-password') throw e;
    try {
      return assemble(file, undefined, [parseCertificateDer(data)]);
    } catch {
      throw appError('credentials', `${path.basename(file)} is neither a PKCS#12 file nor a PEM or DER certificate.`, { file });
    }
  }
}

export async function loadCredentials(files: CredentialFiles, password?: string): Promise<LoadedCredentials> {
  if (files.kind === 'pkcs12') return readPkcs12(await readFile(files.path), files.path, password);
  return loadPemPair(files.keyPath, files.certPath, password);
}

export interface SigningKey {
  privateKey: KeyObject;
  leaf: ParsedCertificate;
  chain: ParsedCertificate[];
  source: string;
}

/** Only RSA keys sign: the platform's package.sign is an RS256 JWT. */
export function requireRsaSigningKey(creds: LoadedCredentials): SigningKey {
  const name = path.basename(creds.source);
  if (!creds.privateKey) {
    throw appError('credentials', `${name} holds no private key: signing needs the key that belongs to the certificate.`, { file: creds.source });
  }
  const type = creds.privateKey.asymmetricKeyType;
  if (type !== 'rsa') {
    const what = type === 'ec' ? `an EC key${curveOf(creds.privateKey)}` : `a ${type ?? 'non-RSA'} key`;
    throw appError(
      'credentials',
      `${name} holds ${what}, which cannot sign AosEdge bundles: the platform verifies package.sign as an RS256 JWT ` +
        '(RSA PKCS#1 v1.5 with SHA-256), so an RSA key is required. Create the user certificate with an RSA key ' +
        '(the key tool\'s default).',
      { file: creds.source },
    );
  }
  return { privateKey: creds.privateKey, leaf: creds.chain[0], chain: creds.chain, source: creds.source };
}

function curveOf(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve ? ` (${curveName(curve)})` : '';
}

export function curveName(curve: string): string {
  return ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as Record<string, string>)[curve] ?? curve;
}
