// The outbox: signed bundles waiting for (or on their way to) the cloud, kept in the app's
// data folder so they survive being offline, a crash or a kill. One folder per bundle:
//
//   <data>/outbox/<id>/bundle.tar.gz   a hard link to the signed file (a copy across devices)
//   <data>/outbox/<id>/entry.json      sha256, target, credentials (paths only), state, history
//   <data>/outbox/<id>/lock            while a push works on it: the pushing process's pid
//
// entry.json is written atomically (temp file + rename), so a reader sees the old state or
// the new one. Nothing is deleted except by remove(), and remove() refuses an entry that
// is not done unless forced.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure, appError, fsFailure, toAppError, type AppError } from '../../../shared/errors';
import { OUTBOX_STATES, type OutboxState } from '../../../shared/outbox-states';
import type { CredentialFiles } from '../credentials/load';
import type { FileIdentity, SignedBundle, UploadTarget } from '../cloud/signed-bundle';
import { copyFileAtomic, writeFileAtomic } from '../fs/atomic-write';
import { settingsDir } from '../settings/recent-services';
import { invalidRoleRefusalField, type RoleRefusal } from './role-refusal';

export { OUTBOX_STATES };
export type { OutboxState };

export interface HistoryEvent {
  at: string;
  state: OutboxState;
  message: string;
}

/** Where and how the entry is uploaded: everything a later push needs, no secret. */
export interface OutboxDestination {
  /** `--cloud` override, if one was given. */
  cloud?: string;
  /** v1 publish.url / v2 publish.domain from the config inside the bundle. */
  configDomain?: string;
  caFile?: string;
  credentials: CredentialFiles;
}

export interface OutboxEntry {
  id: string;
  /** The signed file the entry was made from (informational: the entry holds its own link). */
  source: string;
  sha256: string;
  size: number;
  target: UploadTarget;
  destination: OutboxDestination;
  state: OutboxState;
  /** The entry's own file when it was added: unchanged, it needs no re-hash before a push. */
  file?: FileIdentity;
  /** v2: the deployment bundle's id in the cloud. */
  remoteId?: string | number;
  /** The cloud's last answer (upload or status). */
  answer?: unknown;
  /**
   * The user cancelled its upload: it stays queued, but the automatic push leaves it alone until
   * the user pushes it again (Push now, Upload now, `outbox push`), which clears this.
   */
  held?: boolean;
  /**
   * Its last failure was the cloud refusing the certificate's role (403), with what it was
   * sent with (role-refusal.ts): a push of everything leaves it alone while that still holds.
   * Cleared when it is sent again; kept by a retry (which only queues it).
   */
  roleRefusal?: RoleRefusal;
  createdAt: string;
  updatedAt: string;
  history: HistoryEvent[];
}

export const ENTRY_FILE = 'entry.json';
export const BUNDLE_FILE = 'bundle.tar.gz';
const LOCK_FILE = 'lock';

/** The app's and the CLI's default outbox: beside settings and recent services. */
export function defaultOutboxDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(settingsDir(env), 'outbox');
}

/** States in which the bundle has not surely reached the cloud. */
const PENDING: ReadonlySet<OutboxState> = new Set(['queued', 'uploading']);

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** Whether the entry's file is still the one added (else its sha256 is checked again). */
export async function unchangedSinceAdded(entry: OutboxEntry, file: string): Promise<boolean> {
  if (!entry.file) return false;
  const st = await stat(file);
  return st.ino === entry.file.ino && st.size === entry.file.size && st.mtimeMs === entry.file.mtimeMs;
}

const isText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 4096;

/**
 * The first field of an entry's destination read from entry.json that is not what add() writes,
 * as a dotted path: its credential paths are read and stat'd by every push of everything (a
 * role refusal's check), its optional fields must be text.
 */
function invalidDestinationField(d: unknown): string | undefined {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return 'destination';
  const { credentials: c, cloud, caFile, configDomain } = d as Record<string, unknown>;
  const creds = c as Record<string, unknown> | null;
  const sound = typeof creds === 'object' && creds !== null && (creds.kind === 'pkcs12' ? isText(creds.path) : creds.kind === 'pem' && isText(creds.keyPath) && isText(creds.certPath));
  if (!sound) return 'destination.credentials';
  for (const [name, v] of Object.entries({ cloud, caFile, configDomain })) if (v !== undefined && !isText(v)) return `destination.${name}`;
  return undefined;
}

/** Lock files this process holds: a pid lock cannot tell two pushes of one process apart. */
const heldHere = new Set<string>();

export class Outbox {
  constructor(
    readonly dir: string,
    /** The clock of its history (and of a role refusal's stamp). */
    readonly now: () => Date = () => new Date(),
  ) {}

  private folder(id: string): string {
    if (!/^[0-9a-f]{16}$/.test(id)) throw appError('not-found', `No outbox entry ${id} (ids are 16 hexadecimal characters, see \`aos-bundle outbox list\`).`);
    return path.join(this.dir, id);
  }

  bundlePath(id: string): string {
    return path.join(this.folder(id), BUNDLE_FILE);
  }

  /**
   * Adds a signed bundle (one entry per bundle: the same bytes again give the same entry).
   * The file is hard-linked into the outbox, so a later sign that replaces the original
   * (by rename) leaves the queued bytes as they were signed.
   */
  async add(bundle: SignedBundle, destination: OutboxDestination): Promise<OutboxEntry> {
    const id = bundle.sha256.slice(0, 16);
    const folder = this.folder(id);
    const existing = await this.find(id);
    if (existing) return existing;
    await mkdir(folder, { recursive: true });
    const target = path.join(folder, BUNDLE_FILE);
    await rm(target, { force: true });
    try {
      await link(bundle.file, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP') throw fsFailure(e, 'Cannot put the bundle in the outbox', target);
      await copyFileAtomic(bundle.file, target).catch((err: unknown) => {
        throw fsFailure(err, 'Cannot copy the bundle into the outbox', target);
      });
    }
    // What was linked or copied is what was read: checked, since the source may have been
    // replaced since. A hard link to the very file read (same inode, size and mtime) is it.
    const linked = await stat(target);
    const same = bundle.stat && linked.ino === bundle.stat.ino && linked.size === bundle.stat.size && linked.mtimeMs === bundle.stat.mtimeMs;
    if (!same && (await sha256OfFile(target)) !== bundle.sha256) {
      await rm(folder, { recursive: true, force: true });
      throw appError('conflict', `${bundle.file} changed while it was put in the outbox; sign it again.`, { file: bundle.file });
    }
    const at = this.now().toISOString();
    const entry: OutboxEntry = {
      id,
      source: bundle.file,
      sha256: bundle.sha256,
      size: bundle.size,
      target: bundle.target,
      destination,
      state: 'queued',
      file: { ino: linked.ino, size: linked.size, mtimeMs: linked.mtimeMs },
      createdAt: at,
      updatedAt: at,
      history: [{ at, state: 'queued', message: 'Queued.' }],
    };
    await this.write(entry);
    return entry;
  }

  private async write(entry: OutboxEntry): Promise<void> {
    await writeFileAtomic(path.join(this.folder(entry.id), ENTRY_FILE), `${JSON.stringify(entry, null, 2)}\n`);
  }

  async find(id: string): Promise<OutboxEntry | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.folder(id), ENTRY_FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fsFailure(e, 'Cannot read the outbox entry', path.join(this.folder(id), ENTRY_FILE));
    }
    const file = path.join(this.folder(id), ENTRY_FILE);
    let entry: OutboxEntry;
    try {
      entry = JSON.parse(text) as OutboxEntry;
    } catch {
      throw appError('io', `The outbox entry ${id} is damaged (entry.json is not JSON); remove it with \`aos-bundle outbox remove ${id} --force\`.`, { file });
    }
    const field = typeof entry === 'object' && entry !== null ? (invalidDestinationField(entry.destination) ?? invalidRoleRefusalField(entry.roleRefusal)) : undefined;
    if (field) {
      throw appError('io', `The outbox entry ${id} is damaged (${file}: ${field} is not what Bundle Studio writes); remove it with \`aos-bundle outbox remove ${id} --force\`.`, { file, path: field });
    }
    return entry;
  }

  async get(id: string): Promise<OutboxEntry> {
    const entry = await this.find(id);
    if (!entry) throw appError('not-found', `No outbox entry ${id}.`);
    return entry;
  }

  /** Every entry, oldest first; one whose entry.json cannot be read or is damaged is left out, and told to `onDamaged` (find's error). */
  async list(onDamaged?: (error: AppError) => void): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fsFailure(e, 'Cannot list the outbox', this.dir);
    }
    const entries: OutboxEntry[] = [];
    for (const name of names.filter((n) => /^[0-9a-f]{16}$/.test(n))) {
      const e = await this.find(name).catch((err: unknown) => {
        onDamaged?.(toAppError(err));
        return undefined;
      });
      if (e) entries.push(e);
    }
    return entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Moves an entry to `state`, with a line of history; `patch` sets the other fields. */
  async transition(id: string, state: OutboxState, message: string, patch: Partial<Pick<OutboxEntry, 'remoteId' | 'answer' | 'held' | 'roleRefusal'>> = {}): Promise<OutboxEntry> {
    const entry = await this.get(id);
    const at = this.now().toISOString();
    const next: OutboxEntry = { ...entry, ...patch, state, updatedAt: at, history: [...entry.history, { at, state, message }] };
    if (!next.held) delete next.held;
    if (!next.roleRefusal) delete next.roleRefusal;
    await this.write(next);
    return next;
  }

  /** Sets or clears the user's hold (see OutboxEntry.held); no history event of its own. */
  async update(id: string, patch: Pick<OutboxEntry, 'held'>): Promise<OutboxEntry> {
    const entry = await this.get(id);
    const next: OutboxEntry = { ...entry, ...patch };
    if (!next.held) delete next.held;
    await this.write(next);
    return next;
  }

  /** A new destination (another --cloud, --ca or certificate) for an entry not yet at the cloud. */
  async redirect(id: string, destination: OutboxDestination): Promise<OutboxEntry> {
    const entry = await this.get(id);
    if (JSON.stringify(entry.destination) === JSON.stringify(destination)) return entry;
    const next = { ...entry, destination, updatedAt: this.now().toISOString() };
    await this.write(next);
    return next;
  }

  /** A failed entry goes back to the queue. */
  async retry(id: string): Promise<OutboxEntry> {
    const entry = await this.get(id);
    if (entry.state !== 'failed') throw appError('invalid-input', `Outbox entry ${id} is ${entry.state}, not failed: only a failed entry is retried (push sends queued ones).`);
    return this.transition(id, 'queued', 'Queued again (retry).', { remoteId: undefined });
  }

  /**
   * Removes an entry and its link. Nothing is deleted until it is done and the user clears
   * it: an entry in any other state is kept unless `force` (the user confirmed), since
   * removing it may lose the upload or the record of how it went.
   */
  async remove(id: string, opts: { force?: boolean } = {}): Promise<OutboxEntry | undefined> {
    // A damaged entry.json (find says so) is removed only when forced, as its error advises.
    let damaged = false;
    const entry = await this.find(id).catch((e: unknown) => {
      if (!opts.force || !(e instanceof AppFailure) || e.error.code !== 'io' || !e.error.location?.file.endsWith(ENTRY_FILE)) throw e;
      damaged = true;
      return undefined;
    });
    if (!entry && !opts.force) throw appError('not-found', `No outbox entry ${id}.`);
    if (entry && entry.state !== 'done' && !opts.force) {
      const why = PENDING.has(entry.state) ? 'it has not reached the cloud. Push it first' : 'it is not done yet. Retry or push it first';
      throw appError('conflict', `Outbox entry ${id} is ${entry.state}: ${why}, or remove it with --force.`);
    }
    if ((entry || damaged) && (await this.lockHolder(id))) throw appError('busy', `Outbox entry ${id} is being pushed right now; try again when that push ends.`);
    await rm(this.folder(id), { recursive: true, force: true });
    return entry;
  }

  /**
   * Left `uploading` by a process that is gone (a crash, a kill, a machine off): nothing sends
   * it now, whatever its state says; the next push sends it again.
   */
  async interrupted(entry: OutboxEntry): Promise<boolean> {
    return entry.state === 'uploading' && !(await this.lockHolder(entry.id));
  }

  /** The pid of a live process pushing this entry (this one's included), if any. */
  async lockHolder(id: string): Promise<number | undefined> {
    if (heldHere.has(path.join(this.folder(id), LOCK_FILE))) return process.pid;
    try {
      const pid = Number((await readFile(path.join(this.folder(id), LOCK_FILE), 'utf8')).trim());
      return Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Takes the entry for this process: answers a release function, or undefined when a live
   * process (this one included) holds it. A lock left by a dead process (a crash, a kill) is taken over.
   */
  async lock(id: string): Promise<(() => Promise<void>) | undefined> {
    const file = path.join(this.folder(id), LOCK_FILE);
    if (heldHere.has(file)) return undefined;
    for (let i = 0; i < 2; i++) {
      try {
        const fh = await open(file, 'wx', 0o600);
        await fh.writeFile(String(process.pid));
        await fh.close();
        heldHere.add(file);
        return async () => {
          heldHere.delete(file);
          await rm(file, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fsFailure(e, 'Cannot lock the outbox entry', file);
        if (await this.lockHolder(id)) return undefined;
        await rm(file, { force: true }); // stale: its process is gone
      }
    }
    return undefined;
  }

  /**
   * Whether an entry holds this very file (its hard link: same inode, size and mtime), found
   * without reading the file: upload then lets that entry decide instead of sending at once.
   */
  async holdsFile(file: string): Promise<boolean> {
    let st;
    try {
      st = await stat(file);
    } catch {
      return false;
    }
    return (await this.list()).some((e) => e.file && e.file.ino === st.ino && e.file.size === st.size && e.file.mtimeMs === st.mtimeMs);
  }

  async exists(id: string): Promise<boolean> {
    try {
      await stat(path.join(this.folder(id), ENTRY_FILE));
      return true;
    } catch {
      return false;
    }
  }
}
