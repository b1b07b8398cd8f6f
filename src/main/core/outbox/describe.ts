// An entry in words, for `aos-bundle outbox list` and the app's Outbox screen alike.
import path from 'node:path';
import type { OutboxEntry } from './outbox';

/** What the cloud gets: "service <uid> <version>" or "deployment bundle <codename> <version>, ...". */
export function describeTarget(e: OutboxEntry): string {
  const t = e.target;
  if (t.api === 'service-version') return `service ${t.serviceUid} ${t.version}`;
  return `deployment bundle ${t.items.map((i) => `${i.codename ?? '?'} ${i.version ?? '?'}`).join(', ')}`;
}

/** The file the entry was made from, by name. */
export function entryName(e: OutboxEntry): string {
  return path.basename(e.source);
}
