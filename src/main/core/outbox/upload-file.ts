// The upload use-case (app's "Upload now" and "Queue", `aos-bundle upload` and `go`): read
// the signed bundle (its own config gives target and credentials), put it in the outbox,
// then, unless only queued, push that entry. Every upload goes through the outbox, so one
// that fails for a network reason is already queued.
//
// A new bundle is sent while it is checked, not after (issue 11: the full read of a 500 MB
// bundle cost as much as the send). The request is opened from the config.yaml at the start
// of the file (a few KB: target, query, credentials); the full check (strict gunzip and tar
// of every member, package.sign, and the sha256 that names the outbox entry) runs on a worker
// thread over the very chunks the send reads (checkWhileSending: one read of the file, one
// hash, and what is checked is what went out). The body's closing boundary is held back until
// the check has passed and the entry is written `uploading`; a body cut before its end is
// incomplete, which the cloud takes as no upload. So the crash protocol holds:
// - killed before the entry exists: the cloud holds nothing (the body never ended) and the
//   user's file is untouched; the next `upload` starts afresh;
// - killed with the entry `queued` or `uploading`: the next push sends it (a 422 "already
//   exists" counts as uploaded).
// A check that fails cuts the body and its error is the upload's, as when it ran first.
import { appError, toAppError } from '../../../shared/errors';
import type { CredentialFiles } from '../credentials/load';
import { parseCloudOverride } from '../cloud/address';
import type { CloudClient, UploadProgress } from '../cloud/client';
import type { FileIdentity } from '../cloud/multipart';
import { isSendStopped } from '../cloud/sent-bytes';
import { checkWhileSending, peekSignedBundle, readSignedBundle, resolveCredentialRefs, type SignedBundle, type UploadView } from '../cloud/signed-bundle';
import { sendBundle, type UploadOutcome } from '../cloud/upload';
import type { Outbox, OutboxDestination, OutboxEntry } from './outbox';
import { pushEntry, type PushOptions, type PushResult } from './push';
import { filesOf } from './role-refusal';

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

type Uploaded = { entry: OutboxEntry; result?: PushResult };

export async function uploadBundleFile(o: UploadFileOptions): Promise<Uploaded> {
  // A mistyped address is refused before the outbox is touched: redirecting a queued entry
  // to it would leave that entry pointing nowhere.
  if (o.cloud !== undefined) parseCloudOverride(o.cloud);
  if (!o.queueOnly) {
    const streamed = await sendWhileChecking(o);
    if (streamed) return streamed;
  }
  return ordinaryAfterCheck(o, await readSignedBundle(o.file, { signal: o.signal }));
}

/** The bundle's entry: new, or the one these bytes already have (a failed one queued again). */
async function enqueue(outbox: Outbox, bundle: SignedBundle, destination: OutboxDestination): Promise<OutboxEntry> {
  let entry = await outbox.add(bundle, destination);
  // The same bytes again: a failed entry is tried again (the user asked), where they say now.
  if (entry.state === 'failed') entry = await outbox.retry(entry.id);
  if (entry.state === 'queued' || entry.state === 'uploading') entry = await outbox.redirect(entry.id, destination);
  return entry;
}

const sameIdentity = (a: FileIdentity | undefined, b: FileIdentity) => !!a && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

const sameView = (bundle: SignedBundle, view: UploadView) =>
  JSON.stringify([bundle.target, bundle.configDomain, bundle.credentials]) === JSON.stringify([view.target, view.configDomain, view.credentials]);

/**
 * Sends a new bundle while it is checked (see the top of this file). Undefined when the
 * ordinary path (check, entry, push) must run instead, before anything was sent: the start of
 * the file does not tell the target, or the file is one the outbox holds already (its entry
 * decides: a done one is not sent again).
 */
async function sendWhileChecking(o: UploadFileOptions): Promise<Uploaded | undefined> {
  const view = await peekSignedBundle(o.file, { signal: o.signal });
  if (!view || (await o.outbox.holdsFile(o.file))) return undefined;
  // The check reads the bytes the send reads (one read, one hash): its worker starts now.
  const check = checkWhileSending(o.file);
  /** The whole read of the file, where the send did not get to its end (not cancelled with the upload: a cancelled send is still queued, held, which needs the bundle checked). */
  const readWhole = () => readSignedBundle(o.file);

  let credentials: CredentialFiles;
  try {
    credentials = o.credentials ?? (await resolveCredentialRefs(view.credentials, o.configDir, o.homeDir));
  } catch (e) {
    check.giveUp();
    // The bundle's own problems are said first, as when the check ran first.
    const bundle = await readWhole();
    if (!sameView(bundle, view)) return ordinaryAfterCheck(o, bundle);
    throw e;
  }
  const destination: OutboxDestination = { credentials, caFile: o.caFile, cloud: o.cloud, configDomain: view.configDomain };
  let client: CloudClient;
  // Before the files are opened: a certificate replaced after is seen changed (role-refusal.ts).
  const sentWith = await filesOf(destination);
  try {
    client = await o.connect({ destination });
  } catch (e) {
    check.giveUp();
    const bundle = await readWhole();
    if (toAppError(e).code === 'wrong-password') {
      // As the ordinary path: the bundle is queued, and the caller asks and pushes again.
      await enqueue(o.outbox, bundle, destination);
      throw e;
    }
    return ordinaryAfterCheck(o, bundle);
  }

  // The body's end waits for the gate; `cut` stops the send at once (the body never ends).
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const cutter = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, cutter.signal]) : cutter.signal;
  let checked: SignedBundle | undefined;
  /** The entry once it is `uploading` (progress is reported for it), and the last progress before. */
  const known: { entry?: OutboxEntry; last?: UploadProgress } = {};
  const sending: Promise<UploadOutcome> = sendBundle({
    client,
    bundle: { file: o.file, size: 0, sha256: '', ...view },
    signal,
    watch: () => check.watcher(),
    beforeClose: async (sent) => {
      await gate;
      // The bytes sent are the bytes checked: same file, and the same SHA-256 (the entry's).
      if (!sameIdentity(checked?.stat, sent) || sent.sha256 !== checked?.sha256) throw appError('bundle', `${o.file} changed while it was sent: try again once it is written.`, { file: o.file });
    },
    // Progress belongs to an entry: until it is `uploading`, the last report waits for it.
    onProgress: (p) => (known.entry ? o.onProgress?.(known.entry, p) : (known.last = p)),
  });
  // No attempt comes after the send has ended: a check still without a verdict has none.
  sending.then(check.giveUp, check.giveUp);
  const cut = async () => {
    cutter.abort();
    await sending.catch(() => undefined);
  };

  try {
    checked = await check.result;
  } catch (e) {
    if (!isSendStopped(e)) {
      await cut();
      throw e; // the check refused the bundle: its body was cut before its end, nothing stored
    }
    // The send ended before the check saw every byte (the network, a cancel): the entry is
    // made from a whole read of the file, and the push below says how the send ended.
    checked = await readWhole().catch(async (err: unknown) => {
      await cut();
      throw err;
    });
  }
  if (!sameView(checked, view)) {
    // The whole bundle says otherwise than its start (another target): sent again as it says.
    await cut();
    return ordinaryAfterCheck(o, checked);
  }
  const entry = await enqueue(o.outbox, checked, destination).catch(async (e: unknown) => {
    await cut();
    throw e;
  });
  const result = await pushEntry(entry.id, o, {
    client,
    sentWith,
    finish: async () => {
      known.entry = await o.outbox.get(entry.id);
      if (known.last) o.onProgress?.(known.entry, known.last);
      openGate();
      return sending;
    },
    cut,
  });
  return { entry: await o.outbox.get(entry.id), result };
}

/** The ordinary path's end for a bundle checked already: its entry, then (unless only queued) a push, a send of its own. */
async function ordinaryAfterCheck(o: UploadFileOptions, bundle: SignedBundle): Promise<Uploaded> {
  const credentials = o.credentials ?? (await resolveCredentialRefs(bundle.credentials, o.configDir, o.homeDir));
  const entry = await enqueue(o.outbox, bundle, { credentials, caFile: o.caFile, cloud: o.cloud, configDomain: bundle.configDomain });
  if (o.queueOnly) return { entry };
  const result = await pushEntry(entry.id, o);
  return { entry: await o.outbox.get(entry.id), result };
}
