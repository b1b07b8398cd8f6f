// A fake AosEdge cloud for tests: HTTPS on 127.0.0.1 with a CA, a server certificate and
// client certificates all made here (node-forge), client certificates REQUIRED. It serves
// the routes Bundle Studio calls and records what it received (part name and filename, the
// query, the client certificate's CN, the sha256 and size of the file part, streamed: a
// 500 MB upload is never held in memory). Modes: ok, flaky (503 twice, then ok), reject (422
// with several fields), slow (reads the body slowly), drop (closes the connection mid-upload
// once). The server is unref'd and closed by stop(): a test never keeps it alive.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { makeCert, p12, type TestIdentity } from '../unit/credentials/pki-fixtures';

export type FakeCloudMode = 'ok' | 'flaky' | 'reject' | 'slow' | 'drop';

export interface ReceivedUpload {
  route: 'service-version' | 'deployment-bundle';
  query: Record<string, string>;
  clientCn?: string;
  partName?: string;
  filename?: string;
  partType?: string;
  size: number;
  sha256: string;
  /** Whether the cloud kept it (a 201). */
  stored: boolean;
}

export interface FakeCloudPki {
  ca: TestIdentity;
  server: TestIdentity;
  /** A client certificate issued by the cloud's CA. */
  user: TestIdentity;
  /** A CA the cloud does not know, and a client certificate it issued. */
  strangerCa: TestIdentity;
  stranger: TestIdentity;
}

export interface FakeCloudOptions {
  mode?: FakeCloudMode;
  /** The role users/me tells for a client certificate not in `roles` (default 'service provider'). */
  role?: string;
  /** The role of each client certificate, by its CN, as the real cloud keeps it per user (the role is not in the certificate). */
  roles?: Record<string, string>;
  /** slow: the pause after each chunk read (default 20 ms). */
  slowTickMs?: number;
  /** drop: bytes of the body received before the connection is closed (default 256 KiB). */
  dropAfterBytes?: number;
  /** Deployment bundles: the states a bundle goes through, one per list request. */
  processing?: string[];
  /** The build_info of a finished deployment bundle. */
  buildInfo?: unknown;
  pki?: FakeCloudPki;
}

const USER_SUBJECT = (cn: string) => [
  { shortName: 'CN', value: cn },
  { shortName: 'O', value: 'aoscloud.io' },
  { shortName: 'OU', value: 'Acme Services' },
];

/** The cloud's PKI; made once per test file (keys take a moment). */
export function makeCloudPki(): FakeCloudPki {
  const caSubject = [{ shortName: 'CN', value: 'Fake Cloud CA' }, { shortName: 'O', value: 'Fake Cloud' }];
  const ca = makeCert({ subject: caSubject, ca: true, serialHex: '01', bits: 2048 });
  const server = makeCert({
    subject: [{ shortName: 'CN', value: 'localhost' }],
    issuer: caSubject,
    issuerKey: ca.key,
    serialHex: '02',
    bits: 2048,
    altNames: { dns: ['localhost'], ip: ['127.0.0.1'] },
  });
  const user = makeCert({ subject: USER_SUBJECT('jane'), issuer: caSubject, issuerKey: ca.key, serialHex: '62B17649000AD78B', bits: 2048 });
  const strangerSubject = [{ shortName: 'CN', value: 'Stranger CA' }];
  const strangerCa = makeCert({ subject: strangerSubject, ca: true, serialHex: '03', bits: 2048 });
  const stranger = makeCert({ subject: USER_SUBJECT('mallory'), issuer: strangerSubject, issuerKey: strangerCa.key, serialHex: '04', bits: 2048 });
  return { ca, server, user, strangerCa, stranger };
}

/** Writes the client side's files: the user's PKCS#12 (empty password), PEM pair and the CA file. */
export async function writeClientFiles(dir: string, pki: FakeCloudPki, password = ''): Promise<{ p12: string; key: string; cert: string; ca: string }> {
  const files = { p12: path.join(dir, 'aos-user-sp.p12'), key: path.join(dir, 'user-key.pem'), cert: path.join(dir, 'user-cert.pem'), ca: path.join(dir, 'cloud-ca.pem') };
  await fs.writeFile(files.p12, p12(pki.user, [pki.ca.cert], password));
  await fs.writeFile(files.key, pki.user.keyPem);
  await fs.writeFile(files.cert, pki.user.certPem + pki.ca.certPem);
  await fs.writeFile(files.ca, pki.ca.certPem);
  return files;
}

interface StoredBundle {
  id: number;
  states: string[];
  file_size: number;
  items: { type?: string; codename?: string; version?: string }[];
  build_info?: unknown;
}

export class FakeCloud {
  readonly received: ReceivedUpload[] = [];
  /** Service versions the cloud holds: `uid@version` → sha256 of what it stored, per upload. */
  readonly services = new Map<string, string[]>();
  readonly bundles: StoredBundle[] = [];
  /** Uploads refused for the client certificate's role (403), in order. */
  readonly refused: { route: ReceivedUpload['route']; clientCn?: string; role: string }[] = [];
  /** Body bytes received by the upload routes so far, finished or not (tests wait on it). */
  bodyBytes = 0;
  /** Every request's method and path, in order. */
  readonly requests: string[] = [];
  mode: FakeCloudMode;
  private failuresLeft = 2;
  private dropped = false;
  private readonly sockets = new Set<Socket>();
  private server?: https.Server;
  port = 0;

  constructor(
    readonly pki: FakeCloudPki,
    readonly options: FakeCloudOptions = {},
  ) {
    this.mode = options.mode ?? 'ok';
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = https.createServer(
      { key: this.pki.server.keyPem, cert: this.pki.server.certPem, ca: [this.pki.ca.certPem], requestCert: true, rejectUnauthorized: true },
      (req, res) => void this.route(req, res).catch(() => res.destroy()),
    );
    server.on('secureConnection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The role users/me tells for a client certificate's CN. */
  roleOf(cn: string | undefined): string {
    return (cn !== undefined ? this.options.roles?.[cn] : undefined) ?? this.options.role ?? 'service provider';
  }

  /**
   * What the role may not do, as the cloud refuses it: 403 with Django REST framework's body
   * (`detail`), the shape of the cloud's other error bodies. Layers and components are uploaded
   * by OEM users only (deployment-bundle.md §5; the spec names the permission
   * `deployment_bundles_create`, §4), and this fake reads no bundle's items: every deployment
   * bundle it gets counts as one of layers. The spec says nothing against an OEM uploading a
   * service version, so that is not refused.
   */
  private refusalFor(route: ReceivedUpload['route'], cn: string | undefined): { detail: string } | undefined {
    if (route === 'deployment-bundle' && this.roleOf(cn).toLowerCase() !== 'oem') return { detail: 'You do not have permission to perform this action.' };
    return undefined;
  }

  /** Connections open to it right now (a test waits for a client's to close). */
  openConnections(): number {
    return this.sockets.size;
  }

  /** How many times the cloud stored this service version. */
  storedCount(uid: string, version: string): number {
    return this.services.get(`${uid}@${version}`)?.length ?? 0;
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    const cert = (req.socket as TLSSocket).getPeerCertificate();
    const cn = cert?.subject?.CN as string | undefined;
    const query = Object.fromEntries(url.searchParams);
    if (req.method === 'GET' && url.pathname === '/api/v11/users/me/') {
      return this.json(res, 200, { role: this.roleOf(cn), username: cn, email: `${cn}@example.com`, organisation: 'Acme Services' });
    }
    if (req.method === 'GET' && url.pathname === '/api/v11/layers/') {
      const all = [
        { id: 'l-1', name: 'pylibs', state: 'ready', total: 2, flavour: 'extra-field' },
        { id: 'l-2', name: 'base-python', state: 'ready', total: 1 },
      ];
      const items = all.filter((l) => !query.search || l.name.includes(query.search));
      return this.json(res, 200, { items, total: items.length, offset: 0 });
    }
    if (req.method === 'GET' && url.pathname === '/api/v11/deployment-bundles/') {
      const offset = Number(query.offset ?? 0);
      const limit = Math.min(Number(query.limit ?? 2), 2); // small pages: the client must follow them
      const list = this.bundles;
      const items = list.slice(offset, offset + limit).map((b) => {
        const state = b.states.length > 1 ? (b.states.shift() as string) : b.states[0];
        return { id: b.id, state, file_size: b.file_size, items: b.items, build_info: state === 'done' || state === 'error' ? b.build_info : null };
      });
      return this.json(res, 200, { items, total: list.length, offset });
    }
    const v1 = req.method === 'POST' && url.pathname === '/api/v11/services/versions/';
    const v2 = req.method === 'POST' && url.pathname === '/api/v11/deployment-bundles/upload/';
    if (!v1 && !v2) return this.json(res, 404, { detail: 'Not found.' });
    const refusal = this.refusalFor(v1 ? 'service-version' : 'deployment-bundle', cn);
    if (refusal) {
      this.refused.push({ route: v1 ? 'service-version' : 'deployment-bundle', clientCn: cn, role: this.roleOf(cn) });
      // Answered once the body is read (see flaky): the answer must reach the client whole.
      req.resume();
      req.once('end', () => this.json(res, 403, refusal));
      return;
    }

    if (this.mode === 'flaky' && this.failuresLeft > 0) {
      this.failuresLeft--;
      // Answered once the body is read, as a proxy in front of a busy cloud does: a server that
      // answers early and closes makes the kernel reset the connection under the client's
      // writes, and the answer in flight is lost (a race, whatever the client does).
      req.resume();
      req.once('end', () => {
        res.writeHead(503, { 'Content-Type': 'text/plain' });
        res.end('Service Unavailable');
      });
      return;
    }
    const upload = await this.receive(req, res);
    if (!upload) return;
    const record: ReceivedUpload = { route: v1 ? 'service-version' : 'deployment-bundle', query, clientCn: cn, ...upload, stored: false };
    this.received.push(record);
    if (this.mode === 'reject') {
      return this.json(res, 422, { version: ['Version must be greater than 1.2.3.'], service: ['Service is archived.', 'Service quota is exhausted.'], file: { config: ['quotas.mem is too small'] } });
    }
    if (v1) {
      const key = `${query.service}@${query.version}`;
      if (this.services.has(key)) return this.json(res, 422, { version: ['Service version with this version already exists.'] });
      this.services.set(key, [upload.sha256]);
      record.stored = true;
      return this.json(res, 201, { id: `sv-${this.services.size}`, service: query.service, version: query.version, state: 'uploaded' });
    }
    const bundle: StoredBundle = {
      id: 100 + this.bundles.length,
      states: [...(this.options.processing ?? ['uploaded', 'processing', 'building', 'done'])],
      file_size: upload.size,
      items: [{ type: 'layer', codename: 'pylibs', version: '1.0.0' }],
      build_info: this.options.buildInfo ?? 'built 1 item',
    };
    this.bundles.push(bundle);
    record.stored = true;
    return this.json(res, 201, { id: bundle.id, state: 'uploaded', file_size: upload.size });
  }

  /** Streams the multipart body: the first part's headers, then its bytes hashed (never kept). */
  private receive(req: IncomingMessage, res: ServerResponse): Promise<Omit<ReceivedUpload, 'route' | 'query' | 'clientCn' | 'stored'> | undefined> {
    const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1];
    if (!boundary) {
      this.json(res, 400, { file: ['No multipart body.'] });
      return Promise.resolve(undefined);
    }
    const tailLength = Buffer.byteLength(`\r\n--${boundary}--\r\n`);
    const hash = createHash('sha256');
    let head: Buffer = Buffer.alloc(0);
    let headers: string | undefined;
    let pending: Buffer = Buffer.alloc(0);
    let size = 0;
    let bodyBytes = 0;
    const slow = this.mode === 'slow';
    const drop = this.mode === 'drop' && !this.dropped;
    return new Promise((resolve) => {
      req.on('data', (chunk: Buffer) => {
        bodyBytes += chunk.length;
        this.bodyBytes += chunk.length;
        if (drop && bodyBytes >= (this.options.dropAfterBytes ?? 256 << 10)) {
          this.dropped = true;
          req.socket.destroy();
          resolve(undefined);
          return;
        }
        if (slow) {
          req.pause();
          setTimeout(() => req.resume(), this.options.slowTickMs ?? 20);
        }
        if (headers === undefined) {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          headers = head.subarray(0, end).toString('latin1');
          chunk = head.subarray(end + 4);
        }
        // Hold back what could be the closing boundary.
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        if (pending.length > tailLength) {
          const out = pending.subarray(0, pending.length - tailLength);
          hash.update(out);
          size += out.length;
          pending = Buffer.from(pending.subarray(pending.length - tailLength));
        }
      });
      req.on('aborted', () => resolve(undefined));
      req.on('error', () => resolve(undefined));
      req.on('end', () => {
        const disposition = /Content-Disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?/i.exec(headers ?? '');
        const partType = /Content-Type: (.+)/i.exec(headers ?? '')?.[1]?.trim();
        resolve({ partName: disposition?.[1], filename: disposition?.[2], partType, size, sha256: hash.digest('hex') });
      });
    });
  }
}

export async function startFakeCloud(pki: FakeCloudPki, options: FakeCloudOptions = {}): Promise<FakeCloud> {
  return new FakeCloud(pki, options).start();
}
