// build: exactly one signing credential (PKCS#12, or the PEM key + certificate pair).
import type { RuleContext } from '../../config-common/rule-context';

export function checkBuild(ctx: RuleContext): void {
  if (ctx.node(['build']) === undefined) return; // reported as a missing section
  const p12 = ctx.has(['build', 'sign_pkcs12']);
  const key = ctx.has(['build', 'sign_key']);
  const cert = ctx.has(['build', 'sign_certificate']);

  if (p12 && (key || cert)) {
    ctx.error(
      'conflicting-sign-credentials',
      ['build', key ? 'sign_key' : 'sign_certificate'],
      'key',
      'build has both sign_pkcs12 and sign_key/sign_certificate: keep exactly one way to sign (remove one of them).',
    );
  } else if (!p12 && key !== cert) {
    const missing = key ? 'sign_certificate' : 'sign_key';
    ctx.error(
      'incomplete-sign-credentials',
      ['build', key ? 'sign_key' : 'sign_certificate'],
      'key',
      `build.${missing} is missing: sign_key and sign_certificate go together (or use sign_pkcs12 instead).`,
    );
  } else if (!p12 && !key && !cert) {
    ctx.error(
      'missing-sign-credentials',
      ['build'],
      'key',
      'build needs a signing credential: add sign_pkcs12 (e.g. aos-user-sp.p12) or the pair sign_key + sign_certificate.',
    );
  }

  const os = ctx.value(['build', 'os']);
  if (typeof os === 'string' && os !== 'linux') {
    ctx.warning('unexpected-os', ['build', 'os'], 'value', `build.os is '${os}'; AosEdge services are built for linux.`);
  }
}
