// The app's pusher: "Push now" and the automatic push, one at a time. While entries wait,
// a cheap check (users/me, one try) asks whether the cloud answers again, on start and then
// with exponential backoff and jitter; when it does, everything waiting is pushed. An entry
// a crash left "uploading" is among them (push.ts resumes it). Pushes never overlap in this
// process: the entry lock only keeps *other* processes out. An entry the cloud refused for
// its role, nothing changed since (role-refusal.ts), does not wait: no check is made for it.
import { toAppError } from '../../../shared/errors';
import type { CloudClient, UploadProgress } from '../cloud/client';
import { backoffDelay, type RetryPolicy } from '../cloud/retry';
import type { Outbox, OutboxEntry, OutboxState } from './outbox';
import { pushOutbox, type PushResult } from './push';
import { roleRefusalHolds, type DestinationOf, type KnownRoles } from './role-refusal';

export type AutoPushStatus =
  /** Nothing waits. */
  | { state: 'idle'; message: string }
  | { state: 'pushing'; message: string }
  /** The cloud did not answer; the next check is at nextCheckAt. */
  | { state: 'waiting'; message: string; nextCheckAt: string; checks: number }
  /** A protected key is needed: a push with its password goes on. */
  | { state: 'needs-password'; message: string };

export interface ConnectHow {
  password?: string;
  /** One try, no retries: a reachability check. */
  quick?: boolean;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface PusherOptions {
  outbox: Outbox;
  connect: (entry: Pick<OutboxEntry, 'destination'>, how: ConnectHow) => Promise<CloudClient>;
  /** Delays between checks while the cloud does not answer (default 5 s doubling to 5 min). */
  backoff?: RetryPolicy;
  timers?: Timers;
  now?: () => Date;
  random?: () => number;
  pollIntervalMs?: number;
  onStatus?: (s: AutoPushStatus) => void;
  /**
   * Every state an entry reaches in a push of this pusher (automatic or "Push now"), and its
   * bytes sent while it uploads: the app's screens follow an entry by it, whoever pushes it.
   */
  onEntry?: (entry: OutboxEntry, progress?: UploadProgress) => void;
  /** What users/me told this app run of each certificate's role (its check here adds to it). */
  roles?: KnownRoles;
  /** Where an entry goes now, with what `connect` fills in (push.ts PushOptions.destinationOf). */
  destinationOf?: DestinationOf;
}

export interface PushNowOptions {
  ids?: string[];
  password?: string;
  signal?: AbortSignal;
  onProgress?: (entry: OutboxEntry, p: UploadProgress) => void;
}

const WAITING: ReadonlySet<OutboxState> = new Set(['queued', 'uploading', 'uploaded', 'processing']);
export const AUTO_PUSH_BACKOFF: RetryPolicy = Object.freeze({ tries: Infinity, baseMs: 5000, maxMs: 5 * 60_000 });

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.(); // a waiting check never keeps the process alive
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class OutboxPusher {
  private current: AutoPushStatus = { state: 'idle', message: 'Nothing waits in the outbox.' };
  private chain: Promise<unknown> = Promise.resolve();
  private timer: unknown;
  private checks = 0;
  private stopped = false;
  private readonly auto = new AbortController();
  private readonly timers: Timers;

  constructor(private readonly o: PusherOptions) {
    this.timers = o.timers ?? realTimers;
  }

  status(): AutoPushStatus {
    return this.current;
  }

  private set(s: AutoPushStatus): void {
    this.current = s;
    this.o.onStatus?.(s);
  }

  /** Runs `work` after every push before it: never two at once. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async waiting(): Promise<OutboxEntry[]> {
    const listed = (await this.o.outbox.list()).filter((e) => WAITING.has(e.state) && !e.held);
    const refused = await Promise.all(listed.map((e) => roleRefusalHolds(e, this.roleOf, this.o.destinationOf)));
    return listed.filter((_, i) => refused[i] === undefined);
  }

  private readonly roleOf = (c: OutboxEntry['destination']['credentials'], since: string) => this.o.roles?.of(c, since);

  /** "Push now": the given entries (or all waiting), with a password for a protected key. */
  push(opts: PushNowOptions = {}): Promise<PushResult[]> {
    this.cancelTimer();
    return this.exclusive(async () => {
      this.set({ state: 'pushing', message: 'Pushing the outbox.' });
      try {
        const results = await pushOutbox({
          outbox: this.o.outbox,
          ids: opts.ids,
          signal: opts.signal,
          pollIntervalMs: this.o.pollIntervalMs,
          onChange: (e) => this.o.onEntry?.(e),
          onProgress: (e, p) => {
            this.o.onEntry?.(e, p);
            opts.onProgress?.(e, p);
          },
          connect: (e) => this.o.connect(e, { password: opts.password }),
          roleOf: this.roleOf,
          destinationOf: this.o.destinationOf,
        });
        await this.settle(results);
        return results;
      } catch (e) {
        await this.failed(e);
        throw e;
      }
    });
  }

  /** Checks now, and pushes when the cloud answers (app start, an entry queued, settings changed). */
  wake(): Promise<void> {
    this.cancelTimer();
    return this.exclusive(async () => {
      if (this.stopped) return;
      const waiting = await this.waiting();
      if (waiting.length === 0) return this.idle();
      try {
        const client = await this.o.connect(waiting[0], { quick: true });
        const me = await client.me({ signal: this.auto.signal });
        this.o.roles?.remember(waiting[0].destination.credentials, me.role);
      } catch (e) {
        return this.failed(e);
      }
      this.checks = 0;
      this.set({ state: 'pushing', message: `The cloud answers: pushing ${waiting.length === 1 ? '1 entry' : `${waiting.length} entries`}.` });
      try {
        const results = await pushOutbox({
          outbox: this.o.outbox,
          signal: this.auto.signal,
          pollIntervalMs: this.o.pollIntervalMs,
          connect: (e) => this.o.connect(e, {}),
          automatic: true,
          roleOf: this.roleOf,
          destinationOf: this.o.destinationOf,
          onChange: (e) => this.o.onEntry?.(e),
          onProgress: (e, p) => this.o.onEntry?.(e, p),
        });
        await this.settle(results);
      } catch (e) {
        await this.failed(e);
      }
    });
  }

  /** After a push: entries still waiting (back in the queue for a network reason) get a later check. */
  private async settle(results: PushResult[]): Promise<void> {
    const left = await this.waiting();
    if (left.length === 0) return this.idle();
    const stuck = results.find((r) => r.error && WAITING.has(r.state));
    if (stuck) return this.schedule(stuck.error!.message);
    this.checks = 0;
    // Waiting only on entries not pushed this time (other ids, or another process's): check soon.
    this.schedule('Some entries are still waiting.');
  }

  private async failed(e: unknown): Promise<void> {
    const error = toAppError(e);
    if (error.code === 'wrong-password') {
      this.set({ state: 'needs-password', message: `${error.message} Push now with the password to send what waits.` });
      return;
    }
    if (error.code === 'cancelled' && this.stopped) return;
    this.schedule(error.message);
  }

  private idle(): void {
    this.checks = 0;
    this.set({ state: 'idle', message: 'Nothing waits in the outbox.' });
  }

  private schedule(why: string): void {
    if (this.stopped) return;
    this.checks += 1;
    const delay = backoffDelay(this.checks, this.o.backoff ?? AUTO_PUSH_BACKOFF, this.o.random);
    const at = new Date((this.o.now ?? (() => new Date()))().getTime() + delay);
    this.set({ state: 'waiting', message: why, nextCheckAt: at.toISOString(), checks: this.checks });
    this.cancelTimer();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      void this.wake();
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  /** No more checks; a running automatic push is cancelled (its entry goes back to the queue). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.auto.abort();
  }
}
