// JSON blobs as bytes with their descriptors. The generators build objects with their keys
// in a fixed order, so compact JSON.stringify is deterministic: the same config always
// gives the same bytes, hence the same digests, on every machine.
import { createHash } from 'node:crypto';
import type { Descriptor } from './types';

export interface JsonBlob {
  bytes: Buffer;
  descriptor: Descriptor;
}

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function serializeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function jsonBlob(value: unknown, mediaType: string): JsonBlob {
  const bytes = serializeJson(value);
  return { bytes, descriptor: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

/** `blobs/sha256/<hex>` for a digest. */
export function blobPath(digest: string): string {
  const [algo, hex] = digest.split(':');
  if (algo !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? '')) throw new Error(`Not a sha256 digest: ${digest}`);
  return `blobs/sha256/${hex}`;
}
