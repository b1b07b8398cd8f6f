import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { verifyBundle, type VerifyCheck } from '../../core/bundle';
import { loadCredentialFile } from '../../core/credentials';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { PASSWORD_OPTIONS, passwordFromOptions, withPassword } from '../password';
import { BUNDLE_KIND_TEXT } from '../folder-kind';

/** `[member config.yaml, field payload.data[1].hash]`: what a failing check concerns. */
function where(c: VerifyCheck): string {
  const parts = [c.member && `member ${c.member}`, c.field && `field ${c.field}`].filter(Boolean);
  return parts.length ? `  [${parts.join(', ')}]` : '';
}

export async function runVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { cert: { type: 'string' }, json: { type: 'boolean' }, ...PASSWORD_OPTIONS },
  });
  if (positionals.length !== 1) throw new UsageError('verify takes one bundle file');
  const source = await passwordFromOptions(values, io);
  if (source.origin && values.cert === undefined) throw new UsageError('a password only makes sense with --cert');
  const bundle = resolve(io.cwd, positionals[0]);
  const certPath = values.cert === undefined ? undefined : resolve(io.cwd, values.cert);
  // Load the certificate first, so that a protected .p12 can ask for its password.
  const cert = certPath ? await withPassword(io, source, (password) => loadCredentialFile(certPath, password)) : undefined;
  const report = await verifyBundle(bundle, { cert });

  if (values.json) {
    const { members, ...rest } = report;
    io.stdout(`${JSON.stringify({ ...rest, certificate: certPath ?? null, members }, null, 2)}\n`);
    return report.ok ? EXIT_OK : EXIT_INVALID;
  }
  io.stdout(`kind: ${BUNDLE_KIND_TEXT[report.kind]}\n`);
  for (const c of report.checks) io.stdout(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.message}${c.ok ? '' : where(c)}\n`);
  if (report.signer) {
    io.stdout(`signer: ${report.signer.issuer ?? '(kid does not decode)'}${report.signer.serial ? `, serial ${report.signer.serial}` : ''}\n`);
  }
  const name = positionals[0];
  if (!report.ok) {
    const n = report.failures.length;
    io.stderr(`${name}: ${n} check${n === 1 ? '' : 's'} failed: ${[...new Set(report.failures.map((f) => f.member ?? f.field ?? f.id))].join(', ')}\n`);
    return EXIT_INVALID;
  }
  io.stderr(
    report.signatureChecked
      ? `${name}: valid; signature verified with ${values.cert}.\n`
      : `${name}: structure, hashes and sizes valid; signature not checked (give --cert PEM|P12 to check it).\n`,
  );
  return EXIT_OK;
}
