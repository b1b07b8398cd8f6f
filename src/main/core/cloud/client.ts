// The cloud's API as calls: who am I, upload a service version or a deployment bundle, list
// deployment bundles and layers. Each call retries what is worth retrying (retry.ts) and
// turns every other answer into a CloudFailure with all of the cloud's messages.
import { appError } from '../../../shared/errors';
import type { CloudAddress } from './address';
import { ENDPOINTS, endpointUrl, PAGE_SIZE, type EndpointName } from './endpoints';
import { httpFailure } from './failures';
import { DEFAULT_TIMEOUTS, exchange, type Answer, type Timeouts } from './http';
import type { TlsIdentity } from './identity';
import { multipartFile, type ChunkWatcher, type SentFile, type FilePart } from './multipart';
import { withRetries, type RetryPolicy } from './retry';

export interface CloudConnection {
  address: CloudAddress;
  identity: TlsIdentity;
  /** Trusted CAs for the server (undefined: the system's). */
  ca?: string[];
  timeouts?: Timeouts;
  retry?: RetryPolicy;
  /** Each retry, in words (the CLI prints them, the app keeps them in the history). */
  log?: (line: string) => void;
}

export interface UploadProgress {
  /** File bytes sent so far (this attempt). */
  sent: number;
  total: number;
  /** Bytes per second since this attempt started. */
  rate: number;
  /** Estimated seconds left; undefined until a rate is known. */
  secondsLeft?: number;
  attempt: number;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface UploadOptions extends CallOptions {
  onProgress?: (p: UploadProgress) => void;
  /** Minimum ms between progress reports (default 100); the last one always comes. */
  progressIntervalMs?: number;
  /** Awaited, each attempt, before the body's closing boundary is sent (see MultipartBody.send). */
  beforeClose?: (sent: SentFile) => Promise<void>;
  /** A watcher of the bytes each attempt sends (it reads the file from its first byte again). */
  watch?: (attempt: number) => ChunkWatcher | undefined;
}

export type CloudRole = 'oem' | 'service provider' | 'fleet owner' | string;

export interface CloudUser {
  role?: CloudRole;
  username?: string;
  email?: string;
  /** The whole answer, unknown fields kept. */
  raw: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  total?: number;
  offset?: number;
}

export interface DeploymentBundleStatus {
  id: string | number;
  state?: string;
  build_info?: unknown;
  file_size?: number;
  items?: { type?: string; codename?: string; version?: string }[];
  [field: string]: unknown;
}

export interface CloudLayer {
  id?: string | number;
  name?: string;
  state?: string;
  [field: string]: unknown;
}

const asRecord = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function pageOf<T>(body: unknown): Page<T> {
  const r = asRecord(body);
  const items = Array.isArray(body) ? body : Array.isArray(r.items) ? r.items : Array.isArray(r.results) ? r.results : [];
  return { items: items as T[], total: typeof r.total === 'number' ? r.total : undefined, offset: typeof r.offset === 'number' ? r.offset : undefined };
}

export class CloudClient {
  constructor(readonly connection: CloudConnection) {}

  get base(): string {
    return this.connection.address.base;
  }

  private async call(name: EndpointName, query: Record<string, string | number>, build: (attempt: number) => Pick<Parameters<typeof exchange>[0], 'headers' | 'body'>, signal?: AbortSignal): Promise<Answer> {
    const endpoint = ENDPOINTS[name];
    const c = this.connection;
    return withRetries(
      async (attempt) => {
        const answer = await exchange({
          url: endpointUrl(c.address.base, name, query),
          method: endpoint.method,
          identity: c.identity,
          ca: c.ca,
          timeouts: c.timeouts ?? DEFAULT_TIMEOUTS,
          signal,
          what: endpoint.what,
          ...build(attempt),
        });
        if (answer.status !== endpoint.success) throw httpFailure(endpoint, answer.status, answer.body);
        return answer;
      },
      { policy: c.retry, signal, log: c.log },
    );
  }

  async getJson(name: EndpointName, query: Record<string, string | number> = {}, opts: CallOptions = {}): Promise<unknown> {
    return (await this.call(name, query, () => ({}), opts.signal)).body;
  }

  /** Sends one file as the multipart part `file.field`; answers the cloud's JSON (or text). */
  async upload(name: EndpointName, query: Record<string, string>, file: FilePart, opts: UploadOptions = {}): Promise<unknown> {
    const interval = opts.progressIntervalMs ?? 100;
    const body = await multipartFile(file);
    const answer = await this.call(
      name,
      query,
      (attempt) => ({
        headers: { 'Content-Type': body.contentType, 'Content-Length': body.length },
        body: async (write) => {
          // Each attempt reads the file from its first byte again.
          const started = Date.now();
          let last = 0;
          const report = (sent: number, force: boolean) => {
            const now = Date.now();
            if (!opts.onProgress || (!force && now - last < interval)) return;
            last = now;
            const seconds = (now - started) / 1000;
            const rate = seconds > 0 ? sent / seconds : 0;
            opts.onProgress({ sent, total: body.fileSize, rate, secondsLeft: rate > 0 ? (body.fileSize - sent) / rate : undefined, attempt });
          };
          report(0, true);
          await body.send(write, (sent) => report(sent, sent === body.fileSize), opts.beforeClose, opts.watch?.(attempt));
        },
      }),
      opts.signal,
    );
    return answer.body;
  }

  async me(opts: CallOptions = {}): Promise<CloudUser> {
    const raw = asRecord(await this.getJson('usersMe', {}, opts));
    const str = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
    return { role: str('role'), username: str('username'), email: str('email'), raw };
  }

  async layers(search = '', opts: CallOptions = {}): Promise<Page<CloudLayer>> {
    return pageOf<CloudLayer>(await this.getJson('layers', search ? { search } : {}, opts));
  }

  /** Walks the paginated list until `match` finds one; undefined when no page has it. */
  async findDeploymentBundle(match: (b: DeploymentBundleStatus) => boolean, opts: CallOptions = {}): Promise<DeploymentBundleStatus | undefined> {
    for (let offset = 0; ; ) {
      const page = pageOf<DeploymentBundleStatus>(await this.getJson('deploymentBundles', { offset, limit: PAGE_SIZE }, opts));
      const found = page.items.find(match);
      if (found) return found;
      offset += page.items.length;
      if (page.items.length === 0 || (page.total !== undefined && offset >= page.total)) return undefined;
      if (offset > 1_000_000) throw appError('rejected', 'The cloud\'s list of deployment bundles does not end.');
    }
  }
}
