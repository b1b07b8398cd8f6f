// Push: sends what the outbox holds and follows it to the end, for the app ("Push now",
// and on start) and the CLI alike. Every step is a state change with a line of history,
// written before the next step starts, so a crash or kill at any point leaves an entry that
// the next push resumes:
//   queued → uploading → uploaded → (v2) processing → done | failed
// An entry found `uploading` (its pusher died) is sent again: for v1 the cloud then answers
// 422 "already exists" if the first try got through, which counts as uploaded; for v2 the
// cloud's list is searched first for a bundle of the same size and items, adopted if there.
// A network failure puts the entry back in the queue; a refusal by the cloud fails it. A
// push of everything leaves alone an entry whose last failure was a role refusal (403) while
// nothing that could change the cloud's answer changed (role-refusal.ts), and says why.
// A new upload (upload-file.ts) is already being sent when its entry is made: pushEntry then
// takes that send (SendInFlight) instead of starting one, once the entry is `uploading`.
import { appError, toAppError, type AppError } from '../../../shared/errors';
import type { CloudClient, DeploymentBundleStatus, UploadProgress } from '../cloud/client';
import { CloudFailure } from '../cloud/failures';
import type { FileIdentity, SignedBundle } from '../cloud/signed-bundle';
import { buildInfoText, followDeploymentBundle, processingOutcome, sameDeploymentBundle, sendBundle, type UploadOutcome } from '../cloud/upload';
import { watchSentBytes } from '../cloud/sent-bytes';
import { sha256OfFile, unchangedSinceAdded, type Outbox, type OutboxEntry, type OutboxState } from './outbox';
import { filesOf, isRoleRefusal, roleRefusalHolds, roleRefusalOf, type DestinationOf, type RoleOf } from './role-refusal';

const STALE_FILE = 'The queued file no longer matches its sha256: it was changed after it was queued. Sign again and upload.';

export interface PushOptions {
  outbox: Outbox;
  /**
   * The client for an entry's destination (credentials opened through a session: a password
   * is asked once). A new upload connects before its entry exists (upload-file.ts).
   */
  connect: (entry: Pick<OutboxEntry, 'destination'>) => Promise<CloudClient>;
  signal?: AbortSignal;
  /** v2: follow processing to done or error (default true). */
  follow?: boolean;
  pollIntervalMs?: number;
  onProgress?: (entry: OutboxEntry, p: UploadProgress) => void;
  /** Each state change, as written. */
  onChange?: (entry: OutboxEntry) => void;
  /**
   * The app's automatic push: it skips held entries, and its own cancel (the app stopping) holds
   * nothing. Any other push is the user's: it clears an entry's hold, and a cancel sets it.
   */
  automatic?: boolean;
  /** The role users/me told this process for an entry's credentials, if it did (see role-refusal.ts). */
  roleOf?: RoleOf;
  /**
   * Where an entry goes now: its destination with what `connect` fills in where it leaves
   * something open (the app's Cloud settings). A 403 is kept against it, so a new cloud address
   * there lifts the skip. Default: the entry's destination as it is (the CLI).
   */
  destinationOf?: DestinationOf;
  /** A push of everything: an entry left out because its entry.json is damaged (Outbox.list), with why. */
  onDamaged?: (error: AppError) => void;
}

export interface PushResult {
  id: string;
  state: OutboxState;
  message: string;
  /** The cloud already had it (a 422 "already exists", or a v2 bundle found in its list). */
  alreadyThere?: boolean;
  /** Not sent by this push: another live process is pushing it, or the cloud refused its role (skipReason says which). */
  skipped?: boolean;
  /** Why it was not sent, in words. */
  skipReason?: string;
  remoteId?: string | number;
  answer?: unknown;
  error?: AppError;
  /** With error, when the cloud answered: its HTTP status and every field → message of its body. */
  status?: number;
  fields?: string[];
}

/**
 * An upload already on its way (upload-file.ts sends a new bundle while it is checked), its
 * body's closing boundary held back. pushEntry calls `finish` once the entry is written
 * `uploading` (the boundary then goes out) and takes the send's outcome as its own; where
 * the entry is not a fresh `queued` one, or is another process's, it calls `cut` instead,
 * which ends that body unfinished (the cloud stores nothing of it), and goes on as usual.
 */
export interface SendInFlight {
  client: CloudClient;
  /** The credential files as they were before `client` opened them (filesOf): what a 403 is kept against. */
  sentWith: (FileIdentity | null)[];
  finish(): Promise<UploadOutcome>;
  cut(): Promise<void>;
}

const MOVABLE: ReadonlySet<OutboxState> = new Set(['queued', 'uploading', 'uploaded', 'processing']);

/**
 * A push: of the entries named (each sent whatever its last failure: the user chose it), or of
 * everything that waits, where an entry the cloud refused for its role, nothing changed since,
 * is reported skipped with the reason instead of meeting the same 403 again.
 */
export async function pushOutbox(opts: PushOptions & { ids?: string[] }): Promise<PushResult[]> {
  const entries = opts.ids ? await Promise.all(opts.ids.map((id) => opts.outbox.get(id))) : await opts.outbox.list(opts.onDamaged);
  const results: PushResult[] = [];
  for (const e of entries) {
    if (opts.signal?.aborted) break;
    if (!opts.ids) {
      const refused = (MOVABLE.has(e.state) || e.state === 'failed') && (await roleRefusalHolds(e, opts.roleOf, opts.destinationOf));
      if (refused) {
        results.push({ id: e.id, state: e.state, skipped: true, skipReason: refused, message: refused });
        continue;
      }
      if (!MOVABLE.has(e.state) || (opts.automatic && e.held)) continue;
    }
    results.push(await pushEntry(e.id, opts));
  }
  return results;
}

export async function pushEntry(id: string, opts: PushOptions, inFlight?: SendInFlight): Promise<PushResult> {
  const { outbox } = opts;
  let entry = await outbox.get(id);
  if (!MOVABLE.has(entry.state)) {
    await inFlight?.cut();
    return { id, state: entry.state, message: `Nothing to do: the entry is ${entry.state}.`, remoteId: entry.remoteId };
  }
  const release = await outbox.lock(id);
  if (!release) {
    await inFlight?.cut();
    const pid = await outbox.lockHolder(id);
    const who = pid === process.pid ? 'Being pushed already by this app' : `Being pushed by another process${pid ? ` (pid ${pid})` : ''}`;
    return { id, state: entry.state, skipped: true, skipReason: `${who}.`, message: `${who}; left to it.` };
  }
  const step = async (state: OutboxState, message: string, patch: Parameters<Outbox['transition']>[3] = {}) => {
    entry = await outbox.transition(id, state, message, patch);
    opts.onChange?.(entry);
    return entry;
  };
  let alreadyThere = false;
  let lastMessage = '';
  // The send in flight is either finished or cut, whatever happens here.
  let inFlightTaken = false;
  let sentWith: Awaited<ReturnType<typeof filesOf>> | undefined;
  let sentTo = entry.destination;
  try {
    if (entry.held && !opts.automatic) entry = await outbox.update(id, { held: false });
    entry = await outbox.get(id); // as it is now that we hold it
    // The credential files as they are before they are opened: what a 403 is kept against.
    sentTo = (await opts.destinationOf?.(entry)) ?? entry.destination;
    sentWith = inFlight?.sentWith ?? (await filesOf(sentTo));
    const crashed = entry.state === 'uploading';
    const client = inFlight?.client ?? (await opts.connect(entry));
    const bundle: SignedBundle = { file: outbox.bundlePath(id), size: entry.size, sha256: entry.sha256, target: entry.target, configDomain: entry.destination.configDomain };

    if (entry.state === 'queued' || entry.state === 'uploading') {
      if (!(await unchangedSinceAdded(entry, bundle.file)) && (await sha256OfFile(bundle.file)) !== entry.sha256) {
        await step('failed', STALE_FILE);
        return { id, state: 'failed', message: entry.history.at(-1)!.message };
      }
      let adopted: DeploymentBundleStatus | undefined;
      if (crashed && entry.target.api === 'deployment-bundle') {
        adopted = await client.findDeploymentBundle(sameDeploymentBundle(bundle, entry.target.items), { signal: opts.signal });
      }
      if (adopted) {
        alreadyThere = true;
        await step('uploaded', `An interrupted upload had reached the cloud as deployment bundle ${adopted.id} (same size and items): not sent again.`, { remoteId: adopted.id, answer: adopted });
      } else {
        // Sent again: whatever the cloud answers now is the last answer, not the old refusal.
        await step('uploading', `Uploading to ${client.base}${crashed ? ' again: the last push ended mid-upload' : ''}.`, { roleRefusal: undefined });
        const current = entry;
        let sent: UploadOutcome;
        if (inFlight && !crashed) {
          // Written `uploading` first: from here a kill leaves an entry the next push sends again.
          inFlightTaken = true;
          sent = await inFlight.finish();
        } else {
          if (inFlight) {
            inFlightTaken = true;
            await inFlight.cut();
          }
          sent = await sendBundle({
            client,
            bundle,
            signal: opts.signal,
            onProgress: (p) => opts.onProgress?.(current, p),
            // The bytes that went out are the entry's: the check above trusts inode, size and
            // mtime, which a rewrite in place that puts the mtime back keeps (the outbox's hard
            // link is the user's file). Otherwise the body ends unfinished: nothing is stored.
            beforeClose: async (s) => {
              if (s.sha256 !== entry.sha256) throw appError('bundle', STALE_FILE, { file: bundle.file });
            },
            // The SHA-256 of the bytes sent, on a worker that sees the send's own buffers.
            watch: () => watchSentBytes('sha256', bundle.file),
          });
        }
        alreadyThere = sent.alreadyThere;
        lastMessage = sent.message;
        await step('uploaded', sent.message, { remoteId: sent.remoteId, answer: sent.answer });
        if (entry.target.api === 'service-version') {
          await step('done', alreadyThere ? 'Done: the cloud holds this service version.' : 'Done: a v1 service version has no processing step.');
          return { id, state: 'done', message: lastMessage, alreadyThere, answer: sent.answer };
        }
      }
    }
    if (entry.target.api === 'deployment-bundle' && entry.remoteId !== undefined && opts.follow !== false) {
      if (entry.state !== 'processing') await step('processing', `Following deployment bundle ${entry.remoteId} in the cloud.`);
      // Status lines are written in order, each before the final state.
      let written: Promise<unknown> = Promise.resolve();
      const status = await followDeploymentBundle(client, entry.remoteId, {
        signal: opts.signal,
        intervalMs: opts.pollIntervalMs,
        onStatus: (s) => {
          if (s.state === 'done' || s.state === 'error') return;
          const info = buildInfoText(s);
          written = written.then(() => step('processing', `The cloud: ${s.state}${info ? ` (${info})` : ''}.`, { answer: s }));
        },
      }).finally(() => written.catch(() => undefined));
      await written;
      const outcome = processingOutcome(status, entry.answer);
      await step(outcome.state === 'done' ? 'done' : 'failed', outcome.message, { answer: status });
      return { id, state: entry.state, message: outcome.message, alreadyThere, remoteId: entry.remoteId, answer: status };
    }
    return { id, state: entry.state, message: lastMessage || entry.history.at(-1)!.message, alreadyThere, remoteId: entry.remoteId, answer: entry.answer };
  } catch (e) {
    const error = toAppError(e);
    if (error.code === 'wrong-password') throw e; // the caller asks for it and pushes again
    const back = error.code === 'network' || error.code === 'cancelled' || error.code === 'busy';
    if (entry.state === 'queued' || entry.state === 'uploading' || !back) {
      const state: OutboxState = back ? (entry.state === 'uploading' ? 'queued' : entry.state) : 'failed';
      const why = error.code === 'cancelled' ? 'Cancelled' : error.message.replace(/\.$/, '');
      const held = error.code === 'cancelled' && !opts.automatic;
      const next = held ? 'Held in the outbox: it goes out when you push it again.' : state === 'queued' ? 'Queued: it goes out on the next push.' : 'Left for the next push.';
      const refusal = isRoleRefusal(e) && sentWith ? { roleRefusal: roleRefusalOf(sentTo, sentWith, outbox.now().toISOString()) } : {};
      await step(state, back ? `${why}. ${next}` : error.message, held ? { held: true } : refusal);
    }
    const answered = e instanceof CloudFailure ? { status: e.detail.status, fields: e.detail.fields } : {};
    return { id, state: entry.state, message: entry.history.at(-1)!.message, error, remoteId: entry.remoteId, ...answered };
  } finally {
    if (inFlight && !inFlightTaken) await inFlight.cut();
    await release();
  }
}
