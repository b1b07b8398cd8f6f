// The upload use-case, shared by the app and the CLI: send a signed bundle to its endpoint
// (v1 service version or v2 deployment bundle), then, for v2, follow the cloud's processing
// until done or error. A 422 saying the version already exists means an earlier try got
// through (a connection that broke after the cloud stored the bundle): counted as uploaded,
// and said so, so the cloud ends up with the bundle once.
import { appError } from '../../../shared/errors';
import type { CloudClient, DeploymentBundleStatus, UploadOptions, UploadProgress } from './client';
import { CloudFailure, fieldMessages } from './failures';
import { BUNDLE_CONTENT_TYPE, type ItemRef, type SignedBundle } from './signed-bundle';

export type UploadState = 'uploading' | 'uploaded' | 'processing' | 'done' | 'failed';

export interface UploadOutcome {
  state: 'uploaded' | 'processing' | 'done' | 'failed';
  /** The cloud's answer to the upload (201 body), or to the 422 that said it already had it. */
  answer: unknown;
  /** The cloud already had this version: nothing new was stored. */
  alreadyThere: boolean;
  /** In words, for the history and the CLI. */
  message: string;
  /** v2: the deployment bundle's id in the cloud. */
  remoteId?: string | number;
  /** v2: the last status seen while following processing. */
  status?: DeploymentBundleStatus;
}

export interface UploadRequest {
  client: CloudClient;
  bundle: SignedBundle;
  signal?: AbortSignal;
  onProgress?: (p: UploadProgress) => void;
  /** Awaited before the body's closing boundary: a rejection cuts the body (nothing is stored). */
  beforeClose?: UploadOptions['beforeClose'];
  /** Sees the bytes of each attempt (UploadOptions.watch). */
  watch?: UploadOptions['watch'];
  /** v2: follow processing to done or error (default true). */
  follow?: boolean;
  pollIntervalMs?: number;
  /** v2: each status seen while following. */
  onStatus?: (s: DeploymentBundleStatus) => void;
}

const ALREADY = /already exists?|already uploaded|already been uploaded/i;

/** What a bundle is, in words ("service <uid> version <v>", "deployment bundle (layer x 1.0.0)"). */
export function describeTarget(b: Pick<SignedBundle, 'target'>): string {
  const t = b.target;
  if (t.api === 'service-version') return `service ${t.serviceUid} version ${t.version}`;
  const items = t.items.map((i) => `${i.type ?? 'item'} ${i.codename ?? '?'} ${i.version ?? '?'}`).join(', ');
  return `deployment bundle${items ? ` (${items})` : ''}`;
}

export function idOf(answer: unknown): string | number | undefined {
  const id = (answer as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** Sends the bundle; the outcome's state is 'uploaded' (v2, not followed yet) or 'done' (v1). */
export async function sendBundle(req: UploadRequest): Promise<UploadOutcome> {
  const { client, bundle } = req;
  const t = bundle.target;
  const what = describeTarget(bundle);
  let answer: unknown;
  try {
    answer = await client.upload(t.endpoint, t.query, { field: 'file', filename: t.filename, contentType: BUNDLE_CONTENT_TYPE, path: bundle.file }, { signal: req.signal, onProgress: req.onProgress, beforeClose: req.beforeClose, watch: req.watch });
  } catch (e) {
    if (t.api === 'service-version' && e instanceof CloudFailure && e.detail.status === 422 && fieldMessages(e.detail.body).some((m) => ALREADY.test(m))) {
      return {
        state: 'done',
        answer: e.detail.body,
        alreadyThere: true,
        message: `The cloud already has ${what} (HTTP 422: ${e.detail.fields?.join('; ')}): counted as uploaded, nothing was stored twice.`,
      };
    }
    throw e;
  }
  if (t.api === 'service-version') return { state: 'done', answer, alreadyThere: false, message: `Uploaded ${what} to ${client.base}.` };
  const remoteId = idOf(answer);
  return { state: 'uploaded', answer, alreadyThere: false, remoteId, message: `Uploaded ${what} to ${client.base}${remoteId !== undefined ? ` as deployment bundle ${remoteId}` : ''}.` };
}

const FINAL = new Set(['done', 'error']);

/** Polls the cloud's list until the deployment bundle `id` is done or error. */
export async function followDeploymentBundle(
  client: CloudClient,
  id: string | number,
  opts: { signal?: AbortSignal; intervalMs?: number; onStatus?: (s: DeploymentBundleStatus) => void } = {},
): Promise<DeploymentBundleStatus> {
  const interval = opts.intervalMs ?? 3000;
  let lastState: string | undefined;
  for (;;) {
    const status = await client.findDeploymentBundle((b) => String(b.id) === String(id), { signal: opts.signal });
    if (!status) throw appError('rejected', `The cloud's list of deployment bundles has no bundle ${id}.`);
    if (status.state !== lastState) opts.onStatus?.(status);
    lastState = status.state;
    if (status.state && FINAL.has(status.state)) return status;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, interval);
      opts.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(appError('cancelled', 'Cancelled.'));
        },
        { once: true },
      );
    });
  }
}

export function buildInfoText(status: DeploymentBundleStatus): string {
  const info = status.build_info;
  if (info === undefined || info === null || info === '') return '';
  if (typeof info === 'string') return info;
  return fieldMessages(info).join('; ') || JSON.stringify(info);
}

export function processingOutcome(status: DeploymentBundleStatus, answer: unknown): UploadOutcome {
  const info = buildInfoText(status);
  const ok = status.state === 'done';
  return {
    state: ok ? 'done' : 'failed',
    answer,
    alreadyThere: false,
    remoteId: status.id,
    status,
    message: ok ? `Deployment bundle ${status.id} is done${info ? `: ${info}` : ''}.` : `The cloud could not process deployment bundle ${status.id}${info ? `: ${info}` : ''}.`,
  };
}

/** Upload, then (v2, `follow`) processing to the end. */
export async function uploadSignedBundle(req: UploadRequest): Promise<UploadOutcome> {
  const sent = await sendBundle(req);
  if (sent.state !== 'uploaded' || sent.remoteId === undefined || req.follow === false) return sent;
  const status = await followDeploymentBundle(req.client, sent.remoteId, { signal: req.signal, intervalMs: req.pollIntervalMs, onStatus: req.onStatus });
  return processingOutcome(status, sent.answer);
}

/** The v2 bundle a crashed upload may have left in the cloud: same size and the same items. */
export function sameDeploymentBundle(bundle: SignedBundle, items: ItemRef[]): (b: DeploymentBundleStatus) => boolean {
  const key = (list: ItemRef[]) => JSON.stringify(list.map((i) => [i.type, i.codename, i.version]).sort());
  return (b) => b.file_size === bundle.size && Array.isArray(b.items) && key(b.items) === key(items);
}
