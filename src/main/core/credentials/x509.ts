// Minimal X.509 reading straight from DER (through node-forge's ASN.1 decoder), for what the
// signer needs and forge's own certificate model does not keep faithfully: the issuer and
// subject as ordered RDNs with their original string types (multi-valued RDNs included),
// the serial number as bytes, the validity and the public key algorithm. Works for RSA and
// EC certificates alike (forge's certificate model only understands RSA).
import forge from 'node-forge';

const { asn1 } = forge;

export interface NameAttribute {
  /** Dotted OID. */
  oid: string;
  value: string;
}

/** A distinguished name as stored: RDNs in DER order, each one a set of attributes. */
export type DistinguishedName = NameAttribute[][];

export interface ParsedCertificate {
  der: Buffer;
  /** Serial as unsigned big-endian bytes (a leading sign byte 0x00 removed). */
  serial: Buffer;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** Dotted OID of the subject public key algorithm. */
  publicKeyAlgorithm: string;
}

export const OID = {
  commonName: '2.5.4.3',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  country: '2.5.4.6',
  street: '2.5.4.9',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',
  emailAddress: '1.2.840.113549.1.9.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

/** RFC 4514 short names, exactly the set the platform's tool (Python cryptography) uses. */
const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.locality]: 'L',
  [OID.state]: 'ST',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.country]: 'C',
  [OID.street]: 'STREET',
  [OID.domainComponent]: 'DC',
  [OID.userId]: 'UID',
};

type Asn1 = forge.asn1.Asn1;

function children(node: Asn1, what: string): Asn1[] {
  if (!Array.isArray(node.value)) throw new Error(`Malformed certificate: ${what} is not a structure.`);
  return node.value as Asn1[];
}

function bytesOf(node: Asn1): string {
  if (typeof node.value !== 'string') throw new Error('Malformed certificate: expected a primitive value.');
  return node.value;
}

/** Decodes an ASN.1 string value by its universal tag. */
function decodeString(node: Asn1): string {
  const raw = Buffer.from(bytesOf(node), 'binary');
  switch (node.type as number) {
    case asn1.Type.UTF8:
      return raw.toString('utf8');
    case asn1.Type.BMPSTRING: {
      let s = '';
      for (let i = 0; i + 1 < raw.length; i += 2) s += String.fromCharCode(raw.readUInt16BE(i));
      return s;
    }
    case 28: {
      // UniversalString (UTF-32BE)
      let s = '';
      for (let i = 0; i + 3 < raw.length; i += 4) s += String.fromCodePoint(raw.readUInt32BE(i));
      return s;
    }
    default:
      // PrintableString, IA5String, T61String, VisibleString, NumericString: single bytes.
      return raw.toString('latin1');
  }
}

function parseName(node: Asn1): DistinguishedName {
  return children(node, 'name').map((set) =>
    children(set, 'RDN').map((atv) => {
      const [oidNode, valueNode] = children(atv, 'attribute');
      return { oid: asn1.derToOid(bytesOf(oidNode)), value: decodeString(valueNode) };
    }),
  );
}

function parseTime(node: Asn1): Date {
  const text = bytesOf(node);
  return node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(text) : asn1.generalizedTimeToDate(text);
}

export function parseCertificateDer(der: Buffer): ParsedCertificate {
  let root: Asn1;
  try {
    // The runtime takes an options object; the typings only know the boolean form.
    root = (asn1.fromDer as unknown as (b: forge.util.ByteStringBuffer, o: object) => Asn1)(forge.util.createBuffer(der.toString('binary')), {
      strict: false,
      decodeBitStrings: false,
    });
  } catch {
    throw new Error('Not a DER-encoded X.509 certificate.');
  }
  const [tbs] = children(root, 'certificate');
  const fields = children(tbs, 'tbsCertificate');
  let i = 0;
  if (fields[0] && fields[0].tagClass === asn1.Class.CONTEXT_SPECIFIC && fields[0].type === 0) i = 1;
  const serialNode = fields[i];
  const issuerNode = fields[i + 2];
  const validityNode = fields[i + 3];
  const subjectNode = fields[i + 4];
  const spkiNode = fields[i + 5];
  if (!serialNode || !issuerNode || !validityNode || !subjectNode || !spkiNode) {
    throw new Error('Malformed certificate: missing fields.');
  }
  let serial = Buffer.from(bytesOf(serialNode), 'binary');
  while (serial.length > 1 && serial[0] === 0) serial = serial.subarray(1);
  const [nb, na] = children(validityNode, 'validity');
  const [algId] = children(spkiNode, 'subjectPublicKeyInfo');
  const [algOid] = children(algId, 'algorithm');
  return {
    der,
    serial,
    issuer: parseName(issuerNode),
    subject: parseName(subjectNode),
    notBefore: parseTime(nb),
    notAfter: parseTime(na),
    publicKeyAlgorithm: asn1.derToOid(bytesOf(algOid)),
  };
}

/** Escapes one attribute value as Python cryptography's rfc4514_string does (RFC 4514 §2.4). */
export function escapeRfc4514Value(value: string): string {
  if (!value) return '';
  let v = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\+/g, '\\+')
    .replace(/,/g, '\\,')
    .replace(/;/g, '\\;')
    .replace(/</g, '\\<')
    .replace(/>/g, '\\>')
    .replace(/\0/g, '\\00');
  if (v[0] === '#' || v[0] === ' ') v = `\\${v}`;
  if (v.endsWith(' ')) v = `${v.slice(0, -1)}\\ `; // mirrors cryptography, quirks included
  return v;
}

/**
 * RFC 4514 string of a name: RDNs in reverse order, comma-separated; the attributes of a
 * multi-valued RDN joined by '+' in stored order; short names for CN L ST O OU C STREET DC
 * UID, dotted OIDs for everything else (e-mail included).
 */
export function rfc4514(name: DistinguishedName): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${escapeRfc4514Value(a.value)}`).join('+'))
    .join(',');
}

/** Serial number in upper-case hex, left-padded with 0 to an even length. */
export function serialHex(serial: Buffer): string {
  let hex = serial.toString('hex').toUpperCase().replace(/^0+/, '');
  if (hex === '') hex = '0';
  return hex.length % 2 ? `0${hex}` : hex;
}

/** The first value of an attribute in a name, if any. */
export function nameValue(name: DistinguishedName, oid: string): string | undefined {
  for (const rdn of name) for (const a of rdn) if (a.oid === oid) return a.value;
  return undefined;
}

/** Splits a PEM text into DER blocks by label. */
export function pemBlocks(text: string): { label: string; der: Buffer; text: string }[] {
  const out: { label: string; der: Buffer; text: string }[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2].replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
    out.push({ label: m[1], der: Buffer.from(body, 'base64'), text: m[0] });
  }
  return out;
}
