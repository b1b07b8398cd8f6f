// What went wrong talking to the cloud, in words: every field → message of an error body
// (the platform's tool shows only the first), 401/403 explained as certificates and roles,
// TLS failures naming the side that refused and why, connection failures marked retryable.
import { AppFailure, type AppError, type ErrorCode } from '../../../shared/errors';
import type { Endpoint } from './endpoints';

export interface CloudFailureDetail {
  /** HTTP status when the cloud answered. */
  status?: number;
  /** The body as the cloud sent it: parsed JSON, else text. */
  body?: unknown;
  /** Every message of the body, `field: message` (nested fields dotted). */
  fields?: string[];
  /** Worth trying again later (connection failure, 502/503/504, timeouts). */
  retryable: boolean;
}

export class CloudFailure extends AppFailure {
  constructor(
    error: AppError,
    readonly detail: CloudFailureDetail,
  ) {
    super(error);
    this.name = 'CloudFailure';
  }
}

function cloudFailure(code: ErrorCode, message: string, detail: CloudFailureDetail): CloudFailure {
  return new CloudFailure({ code, message }, detail);
}

/** Keys whose value is the message itself, not a field's. */
const GENERAL_KEYS = new Set(['detail', 'non_field_errors', 'message', 'error', '__all__']);

/** Every message in an error body, with the (dotted) field it belongs to. */
export function fieldMessages(body: unknown, field = ''): string[] {
  const label = (msg: string) => (field ? `${field}: ${msg}` : msg);
  if (body === null || body === undefined) return [];
  if (typeof body === 'string') return body.trim() ? [label(body.trim())] : [];
  if (typeof body === 'number' || typeof body === 'boolean') return [label(String(body))];
  if (Array.isArray(body)) {
    // A list of messages belongs to the field; a list of objects is per item (field.0, ...).
    return body.flatMap((v, i) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? fieldMessages(v, field ? `${field}.${i}` : String(i)) : fieldMessages(v, field)));
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    const sub = GENERAL_KEYS.has(k) ? field : field ? `${field}.${k}` : k;
    out.push(...fieldMessages(v, sub));
  }
  return out;
}

const TEXT_BODY_MAX = 2000;

/** The failure for a status other than the endpoint's success. */
export function httpFailure(endpoint: Endpoint, status: number, body: unknown): CloudFailure {
  const fields = typeof body === 'string' ? (body.trim() ? [body.trim().slice(0, TEXT_BODY_MAX)] : []) : fieldMessages(body);
  // Each field's message as the cloud wrote it, without its own closing stop, so the joined line reads once.
  const said = fields.length ? `: ${fields.map((f) => f.replace(/\.\s*$/, '')).join('; ')}` : '';
  const retryable = status === 502 || status === 503 || status === 504;
  const detail: CloudFailureDetail = { status, body, fields, retryable };
  if (status === 401) {
    return cloudFailure(
      'unauthorized',
      `The cloud did not accept your certificate while ${endpoint.what} (HTTP 401${said}). The certificate may have expired, ` +
        'been revoked, or belong to another cloud: check the user certificate (publish.tls_pkcs12 / tlsKey) and the cloud address.',
      detail,
    );
  }
  if (status === 403) {
    return cloudFailure(
      'unauthorized',
      `The cloud recognised your certificate but your role may not do this: ${endpoint.what} was refused (HTTP 403${said}). ` +
        (endpoint.whose
          ? `${endpoint.whose} Use the certificate of that role, or ask your organisation's admin for the permission.`
          : 'Services are uploaded by service providers, layers and components by OEM users; ask your organisation\'s admin for the permission, ' +
            'or use the certificate of the right role (aos-user-sp.p12, aos-user-oem.p12).'),
      detail,
    );
  }
  const kind = retryable ? 'is unavailable' : 'refused';
  return cloudFailure(retryable ? 'network' : 'rejected', `The cloud ${kind} ${endpoint.what} (HTTP ${status}${said}).`, detail);
}

/** Verification codes of node:tls where *we* refused the server's certificate. */
const CLIENT_SIDE: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is not signed by a certificate authority we trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it is not signed by a certificate authority we trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is unknown',
  SELF_SIGNED_CERT_IN_CHAIN: 'its chain ends in a certificate authority we do not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  CERT_UNTRUSTED: 'it is not trusted',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
};

/** TLS alerts by which the *server* refused our client certificate. */
const SERVER_SIDE = /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED|HANDSHAKE_FAILURE|DECRYPT_ERROR)/;

const SERVER_REASONS: Record<string, string> = {
  CERTIFICATE_REQUIRED: 'it requires a client certificate and got none',
  BAD_CERTIFICATE: 'it does not accept the certificate',
  UNKNOWN_CA: 'the certificate is not issued by a certificate authority it trusts',
  CERTIFICATE_UNKNOWN: 'it does not accept the certificate',
  CERTIFICATE_EXPIRED: 'the certificate has expired',
  CERTIFICATE_REVOKED: 'the certificate has been revoked',
  UNSUPPORTED_CERTIFICATE: 'it does not support this kind of certificate',
  ACCESS_DENIED: 'it denies access to this certificate',
  HANDSHAKE_FAILURE: 'the handshake failed (no common protocol or cipher, or the certificate was refused)',
  DECRYPT_ERROR: 'the certificate\'s key did not verify',
};

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there (connection refused)',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EPIPE: 'the connection was closed while sending',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: 'the host name is not known (DNS)',
  EAI_AGAIN: 'the host name could not be looked up (DNS; offline?)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable (offline?)',
  ENETDOWN: 'the network is down',
  ERR_STREAM_PREMATURE_CLOSE: 'the connection closed early',
};

/** What to do about a network failure, where the failure itself points at it. */
const NETWORK_HINT: Record<string, string> = {
  // A name that does not resolve is most often the wrong cloud (the default aoscloud.io for an on-premise or test one).
  ENOTFOUND: " Check the cloud address: publish.url (publish.domain in a deployment bundle), else your certificate's O, else aoscloud.io; --cloud https://HOST:PORT (Cloud settings in the app) overrides it.",
};

export type TimeoutKind = 'connect' | 'stall';

export class CloudTimeout extends Error {
  constructor(
    readonly kind: TimeoutKind,
    readonly ms: number,
  ) {
    super(kind === 'connect' ? `no connection within ${ms / 1000} s` : `nothing moved for ${ms / 1000} s`);
    this.name = 'CloudTimeout';
  }
}

/** TLS 1.3: the server closed the connection after our handshake, before accepting our certificate. */
export class ClientCertificateRefused extends Error {
  constructor() {
    super('the server closed the connection on receiving our client certificate');
    this.name = 'ClientCertificateRefused';
  }
}

/** A failure of the connection (no HTTP answer) as an AppFailure saying which side and why. */
export function connectionFailure(err: unknown, host: string, what: string): CloudFailure {
  if (err instanceof CloudFailure) return err;
  const e = err as NodeJS.ErrnoException & { reason?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  const where = `${host}`;
  if (err instanceof CloudTimeout) {
    const why = err.kind === 'connect' ? `could not connect to ${where}: ${err.message}` : `the transfer with ${where} stalled: ${err.message}`;
    return cloudFailure('network', `While ${what}, ${why}. Check the network and try again.`, { retryable: true });
  }
  if (CLIENT_SIDE[code]) {
    const hint =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? `check the cloud address${e.reason ? ` (${e.reason})` : ''}`
        : 'for an on-premise or test cloud, give its certificate authority with --ca FILE (the CA setting in the app)';
    return cloudFailure(
      'tls',
      `TLS failed on our side: the server certificate of ${where} was refused because ${CLIENT_SIDE[code]} (${code}); ${hint}.`,
      { retryable: false },
    );
  }
  if (err instanceof ClientCertificateRefused) {
    return cloudFailure(
      'tls',
      `TLS failed on the server's side: ${where} refused our client certificate because it closed the connection as soon as it received it ` +
        '(TLS 1.3 sends no reason): most likely the certificate is not issued by a certificate authority this cloud trusts, or it expired or was revoked. ' +
        'Check that the user certificate (publish.tls_pkcs12 / tlsKey, or --pkcs12 / --key and --cert) is the one this cloud issued.',
      { retryable: false },
    );
  }
  const alert = SERVER_SIDE.exec(code);
  if (alert) {
    return cloudFailure(
      'tls',
      `TLS failed on the server's side: ${where} refused our client certificate because ${SERVER_REASONS[alert[1]]} (${code}). ` +
        'Check that the user certificate (publish.tls_pkcs12 / tlsKey, or --pkcs12 / --key and --cert) is the one this cloud issued.',
      { retryable: false },
    );
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return cloudFailure('tls', `TLS with ${where} failed: ${e.message} (${code}).`, { retryable: false });
  }
  const why = NETWORK[code] ?? (e?.message === 'socket hang up' ? 'the server closed the connection' : undefined);
  // A name the DNS says does not exist (ENOTFOUND, unlike EAI_AGAIN: no answer) will not exist
  // a few seconds later: no tries again, the address is to be checked. Still a network
  // failure, so an outbox entry waits for a later push.
  if (why) return cloudFailure('network', `While ${what}, the connection to ${where} failed: ${why}${code ? ` (${code})` : ''}.${NETWORK_HINT[code] ?? ''}`, { retryable: code !== 'ENOTFOUND' });
  return cloudFailure('network', `While ${what}, the connection to ${where} failed: ${e?.message ?? String(err)}.`, { retryable: true });
}

export function isRetryable(err: unknown): boolean {
  return err instanceof CloudFailure && err.detail.retryable;
}
