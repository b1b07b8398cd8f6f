// Identifiers that make an SBOM reproducible: derived from the layer's digest, so the same
// layer gives the same document, byte for byte, on every run and machine. A name-based
// UUID (RFC 9562 version 5, SHA-1 in the URL namespace) is what CycloneDX's serialNumber
// pattern and SPDX's documentNamespace expect.
import { createHash } from 'node:crypto';

const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

export function uuidV5(name: string): string {
  const h = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/**
 * The document time from SOURCE_DATE_EPOCH (seconds since 1970, reproducible-builds.org),
 * as `YYYY-MM-DDTHH:MM:SSZ`; undefined when it is not set. Anything but digits is an error.
 */
export function sourceDateEpoch(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[0-9]{1,12}$/.test(value)) throw new Error(`SOURCE_DATE_EPOCH must be a number of seconds since 1970, not ${JSON.stringify(value.slice(0, 40))}`);
  const d = new Date(Number(value) * 1000);
  if (Number.isNaN(d.getTime()) || d.getUTCFullYear() > 9999) throw new Error(`SOURCE_DATE_EPOCH ${value} is out of range`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
