import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { inspectBundle, type InspectReport } from '../../core/bundle';
import { EXIT_INVALID, EXIT_OK, UsageError, type CliIo } from '../io';
import { formatBytes } from '../progress';
import { BUNDLE_KIND_TEXT } from '../folder-kind';

function table(rows: [string, string][], indent = '  '): string {
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}\n`).join('');
}

function sizeText(n: number): string {
  return n < 1024 ? `${n} bytes` : `${n} bytes (${formatBytes(n)})`;
}

function text(r: InspectReport): string {
  let out = `bundle: ${r.bundle}\nkind: ${BUNDLE_KIND_TEXT[r.kind]}\nsize: ${sizeText(r.size)}\n`;
  out += '\nMembers:\n';
  out += table(r.members.map((m) => [m.stored, `${m.type}${m.type === 'File' ? `, ${sizeText(m.size)}` : ''}`]));
  out += '\nConfig:\n';
  if (r.items) {
    out += table(r.items.map((i) => [`${i.type ?? '?'} ${i.codename ?? '?'}`, `${i.version ?? '(no version)'}  ${i.architectures.join(', ') || '(no images)'}`]));
  } else if (r.config) {
    const c = r.config;
    const rows: [string, string][] = [];
    if (c.serviceUid) rows.push(['service_uid', c.serviceUid]);
    if (c.version) rows.push(['version', c.version]);
    if (c.url) rows.push(['url', c.url]);
    if (c.os || c.arch) rows.push(['platform', [c.os, c.arch].filter(Boolean).join('/')]);
    if (c.cmd !== undefined) rows.push(['cmd', Array.isArray(c.cmd) ? JSON.stringify(c.cmd) : c.cmd]);
    rows.push(['state', c.stateRequired ? 'required (default_state.dat)' : 'not required']);
    out += table(rows);
  } else out += `  ${r.configError ?? 'no config.yaml'}\n`;
  out += '\nSigner:\n';
  if (r.signer) {
    out += table([
      ['kid', r.signer.kid],
      ['issuer', r.signer.issuer ?? '(kid does not decode)'],
      ['serial', r.signer.serial ?? '-'],
    ]);
  } else out += '  no package.sign\n';
  if (r.signed?.length) {
    out += '\nSigned claims (package.sign):\n';
    for (const s of r.signed) out += `  ${s.name}  ${s.size} bytes  sha3-512 ${s.hash}\n`;
  }
  if (r.service) {
    const s = r.service;
    out += '\nService tree (service.tar.gz: config.yaml, service/, default_state.dat):\n';
    out += table([
      ['archive', `${sizeText(s.size)}, sha3-512 ${s.sha3_512}`],
      ['entries', `${s.files} files, ${s.directories} folders, ${s.symlinks} symlinks, ${sizeText(s.bytes)}`],
    ]);
  }
  if (r.batch) {
    const b = r.batch;
    out += '\nContents (batch.tar.gz: config.yaml and what it references):\n';
    out += table([
      ['archive', `${sizeText(b.size)}, sha3-512 ${b.sha3_512}`],
      ['entries', `${b.files} files, ${b.directories} folders, ${b.symlinks} symlinks, ${sizeText(b.bytes)}`],
    ]);
  }
  if (r.problems.length) {
    out += '\nProblems:\n';
    for (const p of r.problems) out += `  ${p}\n`;
  }
  return out;
}

export async function runInspect(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 1) throw new UsageError('inspect takes one bundle file');
  const report = await inspectBundle(resolve(io.cwd, positionals[0]));
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : text(report));
  if (report.members.length === 0) {
    io.stderr(`${positionals[0]}: not a bundle (no tar members could be read).\n`);
    return EXIT_INVALID;
  }
  // What is listed above may not be what another tool reads: not a usable bundle.
  if (report.problems.length) {
    io.stderr(`${positionals[0]}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} reading the bundle (see Problems); run verify for the full check.\n`);
    return EXIT_INVALID;
  }
  return EXIT_OK;
}
