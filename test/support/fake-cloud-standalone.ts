// The tests' fake cloud on its own, for walking the app and the CLI by hand as a user would:
// HTTPS on 127.0.0.1 with client certificates required, its PKI and what it holds kept in
// DIR, so that stopping it (the network gone) and starting it again is the same cloud with
// the same bundles. It writes the client side's files into DIR (aos-user-sp.p12,
// aos-user-oem.p12 (the same user), the PEM pair and cloud-ca.pem), prints its URL and stops
// by itself after --minutes (default 30), or on SIGTERM / SIGINT. --role is the role users/me
// tells (default "service provider", which the cloud refuses a layer bundle: 403).
//
//   npx esbuild --bundle --platform=node --log-level=warning test/support/fake-cloud-standalone.ts --outfile=/tmp/fake-cloud.cjs
//   node /tmp/fake-cloud.cjs --dir DIR [--port N] [--role oem|"service provider"] [--mode ok|flaky|reject|slow|drop] [--slow-tick-ms N] [--minutes N]
import { existsSync, readFileSync, writeFileSync, renameSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import forge from 'node-forge';
import type { TestIdentity } from '../unit/credentials/pki-fixtures';
import { FakeCloud, makeCloudPki, writeClientFiles, type FakeCloudMode, type FakeCloudPki } from './fake-cloud';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    port: { type: 'string', default: '0' },
    role: { type: 'string', default: 'service provider' },
    mode: { type: 'string', default: 'ok' },
    'slow-tick-ms': { type: 'string', default: '20' },
    minutes: { type: 'string', default: '30' },
  },
});
if (!values.dir) throw new Error('--dir DIR is required');
const dir = values.dir;

type SavedIdentity = { keyPem: string; certPem: string };
const load = (s: SavedIdentity): TestIdentity => ({
  keyPem: s.keyPem,
  certPem: s.certPem,
  key: forge.pki.privateKeyFromPem(s.keyPem) as forge.pki.rsa.PrivateKey,
  cert: forge.pki.certificateFromPem(s.certPem),
});
const save = (i: TestIdentity): SavedIdentity => ({ keyPem: i.keyPem, certPem: i.certPem });

async function main(): Promise<void> {
  const pkiFile = path.join(dir, 'cloud-pki.json');
  let pki: FakeCloudPki;
  if (existsSync(pkiFile)) {
    const saved = JSON.parse(readFileSync(pkiFile, 'utf8')) as Record<keyof FakeCloudPki, SavedIdentity>;
    pki = { ca: load(saved.ca), server: load(saved.server), user: load(saved.user), strangerCa: load(saved.strangerCa), stranger: load(saved.stranger) };
  } else {
    pki = makeCloudPki();
    writeFileSync(pkiFile, JSON.stringify(Object.fromEntries(Object.entries(pki).map(([k, v]) => [k, save(v as TestIdentity)]))));
    const files = await writeClientFiles(dir, pki);
    copyFileSync(files.p12, path.join(dir, 'aos-user-oem.p12'));
  }

  const cloud = new FakeCloud(pki, { mode: values.mode as FakeCloudMode, role: values.role, slowTickMs: Number(values['slow-tick-ms']) });
  // What the cloud held before it was stopped.
  const stateFile = path.join(dir, 'cloud-state.json');
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { services: [string, string[]][]; bundles: FakeCloud['bundles']; received: FakeCloud['received'] };
    for (const [k, v] of state.services) cloud.services.set(k, v);
    cloud.bundles.push(...state.bundles);
    cloud.received.push(...state.received);
  }
  const write = () => {
    const tmp = `${stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ services: [...cloud.services], bundles: cloud.bundles, received: cloud.received, requests: cloud.requests }, null, 1));
    renameSync(tmp, stateFile);
  };
  // FakeCloud listens on port 0; a fixed port keeps the URL in the app's settings valid across restarts.
  const port = Number(values.port);
  if (port) {
    const https = await import('node:https');
    const original = https.Server.prototype.listen;
    https.Server.prototype.listen = function (this: import('node:https').Server, ...args: unknown[]) {
      if (args[0] === 0) args[0] = port;
      return original.apply(this, args as Parameters<typeof original>);
    } as typeof original;
  }
  await cloud.start();
  const timer = setInterval(write, 300);
  const stop = async () => {
    clearInterval(timer);
    write();
    await cloud.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  setTimeout(() => void stop(), Number(values.minutes) * 60_000);
  console.log(`fake cloud ${cloud.url} role=${values.role} mode=${values.mode} files in ${dir}`);
}

void main();
