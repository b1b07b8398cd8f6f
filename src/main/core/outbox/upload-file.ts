// The upload use-case (app's "Upload now" and "Queue", `aos-bundle upload` and `go`): read
// the signed bundle (its own config gives target and credentials), put it in the outbox,
// then, unless only queued, push that entry. Every upload goes through the outbox, so one
// that fails for a network reason is already queued.
import type { CredentialFiles } from '../credentials/load';
import { parseCloudOverride } from '../cloud/address';
import { readSignedBundle, resolveCredentialRefs } from '../cloud/signed-bundle';
import type { Outbox, OutboxEntry } from './outbox';
import { pushEntry, type PushOptions, type PushResult } from './push';

export interface UploadFileOptions extends Omit<PushOptions, 'outbox'> {
  outbox: Outbox;
  file: string;
  /** Overrides the credentials the bundle's config names. */
  credentials?: CredentialFiles;
  /** Where relative credential paths of the config are looked up (the service's meta/). */
  configDir: string;
  homeDir?: string;
  caFile?: string;
  cloud?: string;
  /** Queue only; a later push sends it. */
  queueOnly?: boolean;
}

export async function uploadBundleFile(o: UploadFileOptions): Promise<{ entry: OutboxEntry; result?: PushResult }> {
  // A mistyped address is refused before the outbox is touched: redirecting a queued entry
  // to it would leave that entry pointing nowhere.
  if (o.cloud !== undefined) parseCloudOverride(o.cloud);
  const bundle = await readSignedBundle(o.file, { signal: o.signal });
  const credentials = o.credentials ?? (await resolveCredentialRefs(bundle.credentials, o.configDir, o.homeDir));
  const destination = { credentials, caFile: o.caFile, cloud: o.cloud, configDomain: bundle.configDomain };
  let entry = await o.outbox.add(bundle, destination);
  // The same bytes again: a failed entry is tried again (the user asked), where they say now.
  if (entry.state === 'failed') entry = await o.outbox.retry(entry.id);
  if (entry.state === 'queued' || entry.state === 'uploading') entry = await o.outbox.redirect(entry.id, destination);
  if (o.queueOnly) return { entry };
  const result = await pushEntry(entry.id, o);
  return { entry: await o.outbox.get(entry.id), result };
}
