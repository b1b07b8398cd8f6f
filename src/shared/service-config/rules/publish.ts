// publish: what only matters at upload time (service uid, url, TLS credentials) is a
// warning; the version itself is checked by the schema walk because signing needs it.
import type { RuleContext } from '../../config-common/rule-context';

export function checkPublish(ctx: RuleContext): void {
  if (ctx.node(['publish']) === undefined) return; // reported as a missing section

  const uid = ctx.value(['publish', 'service_uid']);
  if (uid === undefined || uid === null || (typeof uid === 'string' && uid.trim() === '')) {
    ctx.warning(
      'empty-service-uid',
      ctx.node(['publish', 'service_uid']) === undefined ? ['publish'] : ['publish', 'service_uid'],
      'key',
      'publish.service_uid is empty: signing works, but to upload copy the service id from the cloud service page.',
    );
  }

  if (!ctx.has(['publish', 'url'])) {
    ctx.warning('missing-url', ['publish', 'url'], 'key', 'publish.url is not set: uploads need the cloud host, e.g. aoscloud.io.');
  }

  const p12 = ctx.has(['publish', 'tls_pkcs12']);
  const key = ctx.has(['publish', 'tls_key']);
  const cert = ctx.has(['publish', 'tls_certificate']);
  if (p12 && (key || cert)) {
    ctx.warning(
      'conflicting-tls-credentials',
      ['publish', key ? 'tls_key' : 'tls_certificate'],
      'key',
      'publish has both tls_pkcs12 and tls_key/tls_certificate: keep one way to authenticate uploads.',
    );
  } else if (!p12 && key !== cert) {
    ctx.warning(
      'incomplete-tls-credentials',
      ['publish', key ? 'tls_key' : 'tls_certificate'],
      'key',
      `publish.${key ? 'tls_certificate' : 'tls_key'} is missing: tls_key and tls_certificate go together (or use tls_pkcs12).`,
    );
  } else if (!p12 && !key && !cert) {
    ctx.warning(
      'missing-tls-credentials',
      ['publish'],
      'key',
      'publish has no TLS credential: uploads need tls_pkcs12 (e.g. aos-user-sp.p12) or tls_key + tls_certificate.',
    );
  }
}
