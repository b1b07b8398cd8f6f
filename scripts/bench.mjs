#!/usr/bin/env node
// `npm run bench`: the figures README.md reports (issues 3, 4 and 12), measured in one run on a
// tree generated here and removed at the end. Our commands run as the built CLI (a process of
// their own: wall time, CPU and peak RSS) alternately with the shell pipelines that learn the
// same facts, one of each per round; medians are reported.
//   sign     `aos-bundle sign` of the service folder (v1) against
//            tar -cf - src | gzip -6 | tee FILE | openssl dgst -sha3-512, and the same with pigz;
//   sign-v2  the same tree as a schemaVersion 2 deployment bundle (batch.tar.gz), same pipelines;
//   verify   `aos-bundle verify` of the signed bundle against
//            tar -xzOf BUNDLE service.tar.gz | tee >(openssl dgst -sha3-512) | tar -tzf -;
//   pack     `aos-bundle layer pack` of the tree over an empty parent against
//            tar --numeric-owner -cf - -C src . | pigz -6 | sha256sum (and gzip -6);
//   layer    the rootfs layer build rate (tar + gzip -6 + sha256 x2), in-process, best of N;
//   keystroke config keystroke -> updated preview (parse + validate + buildPreview), in-process;
//   listing  listing a src/ of BENCH_LISTING_FILES files (opening a service);
//   upload   `aos-bundle upload` of a signed bundle of BENCH_UPLOAD_MB (500) to a loopback HTTPS
//            sink that requires client certificates, against `curl -F file=@...` with the same
//            certificates: throughput ratio and peak RSS. BENCH_UPLOAD_ONLY=1 runs only this
//            case (BENCH_UPLOAD_MB=20 for a quick check; BENCH_UPLOAD_NODE_ARGS="--cpu-prof"
//            profiles it);
//   startup  CLI start-up: median of BENCH_STARTUP_RUNS (21) runs each of `aos-bundle --version`
//            and `--help` (the built CLI), alternating with `node -e 0` (Node's own start-up);
//            where NODE_EXTRA_CA_CERTS is set, all three again without it (Node reads that
//            file before any script runs).
// pigz is found on PATH, else installed with apt-get when running as root; without it the
// bench says so and measures the GNU gzip pipelines only.
// Options (environment): BENCH_CASES (comma list of the cases above; default all), BENCH_MB
// (default 200), BENCH_FILES (2000), BENCH_ROUNDS (3), BENCH_KEEP=1 keeps the temp folder.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import https from 'node:https';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const env = (name, def) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : def;
};
const TOTAL_MB = env('BENCH_MB', 200);
const FILES = Math.max(2, Math.round(env('BENCH_FILES', 2000)));
const ROUNDS = Math.max(1, Math.round(env('BENCH_ROUNDS', 3)));
/** Files in the listing benchmark (issue 2: fast enough for 100 000 files). */
const LISTING_FILES = Number(process.env.BENCH_LISTING_FILES ?? 100_000);
const KEYSTROKE_ITERATIONS = 300;
const UPLOAD_MB = env('BENCH_UPLOAD_MB', 500);
const STARTUP_RUNS = Math.max(1, Math.round(env('BENCH_STARTUP_RUNS', 21)));
/** Extra node flags for the `aos-bundle upload` process (e.g. `--cpu-prof --cpu-prof-dir=DIR`). */
const UPLOAD_NODE_ARGS = (process.env.BENCH_UPLOAD_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

const log = (t) => process.stderr.write(`${t}\n`);
const MB = (n) => `${(n / 1e6).toFixed(1)} MB`;
const secs = (s) => `${s.toFixed(2)} s`;

// ---------------------------------------------------------------------------------------
// Build the CLI and the bench module when missing.
/** Newest mtime of the files under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const st = statSync(path.join(dir, name));
    if (st.isFile()) t = Math.max(t, st.mtimeMs);
  }
  return t;
}

function ensureBuilt() {
  const needed = ['dist/cli/index.js', 'dist/bench/in-process.js'].map((f) => path.join(ROOT, f));
  const built = needed.every((f) => existsSync(f)) ? Math.min(...needed.map((f) => statSync(f).mtimeMs)) : 0;
  const sources = Math.max(newest(path.join(ROOT, 'src/main')), newest(path.join(ROOT, 'src/shared')));
  if (built > sources) return;
  log(`Building (node scripts/build.mjs --quiet): dist is ${built ? 'older than src/' : 'missing'}...`);
  const r = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0 || !needed.every((f) => existsSync(f))) throw new Error('the build failed; run `npm run build` and retry');
}

// ---------------------------------------------------------------------------------------
// The generated service tree: half compressible text, half random bytes.

/** A small seeded PRNG (mulberry32): the same tree shape on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'service unit node layer config bundle request response timeout retry connect vehicle sensor ' +
  'temperature speed battery door window signal attribute value status error warning info debug ' +
  'started stopped restarted instance quota memory cpu storage state upload download message queue ' +
  'python import def return class self none true false for while if else elif try except finally'
).split(' ');

/** About 4 MiB of log-like text (gzip -6 shrinks it roughly 4-5x), sliced into the text files. */
function textPool(rand) {
  const lines = [];
  let size = 0;
  let t = 1_700_000_000;
  while (size < 4 << 20) {
    t += Math.floor(rand() * 5000);
    const n = 6 + Math.floor(rand() * 12);
    const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
    const line = `${new Date(t * 1000).toISOString()} [${['INFO', 'DEBUG', 'WARN'][Math.floor(rand() * 3)]}] ${words.join(' ')} id=${Math.floor(rand() * 1e6)}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''));
}

function makeTree(base) {
  const rand = prng(20240611);
  const svc = path.join(base, 'svc');
  const src = path.join(svc, 'src');
  mkdirSync(path.join(svc, 'meta'), { recursive: true });
  const pool = textPool(rand);
  const total = TOTAL_MB * 1e6;
  const half = Math.floor(FILES / 2);
  // Sizes vary (0.2x to 1.8x of the mean) and are scaled to hit each half's total exactly.
  const shape = (count, bytes) => {
    const raw = Array.from({ length: count }, () => 0.2 + 1.6 * rand());
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((r) => Math.max(1, Math.floor((r / sum) * bytes)));
  };
  const textSizes = shape(half, total / 2);
  const binSizes = shape(FILES - half, total / 2);
  let textBytes = 0;
  let binBytes = 0;
  for (let i = 0; i < FILES; i++) {
    const isText = i < half;
    const dirName = path.join(src, isText ? 'opt/app/logs' : 'opt/app/data', `d${String(i % 40).padStart(2, '0')}`);
    mkdirSync(dirName, { recursive: true });
    let data;
    if (isText) {
      const size = Math.min(textSizes[i], pool.length);
      const at = Math.floor(rand() * (pool.length - size));
      data = pool.subarray(at, at + size);
      textBytes += size;
    } else {
      data = randomBytes(binSizes[i - half]);
      binBytes += data.length;
    }
    writeFileSync(path.join(dirName, `${isText ? 'log' : 'blob'}-${i}.${isText ? 'txt' : 'bin'}`), data);
  }
  return { svc, src, textBytes, binBytes, files: FILES };
}

/** A test identity like the platform's: RSA-2048 user cert from a CA, in a PKCS#12 with an empty password. */
function writeP12(file) {
  const forge = require('node-forge');
  const keyPair = () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    return forge.pki.privateKeyFromPem(pem);
  };
  const caKey = keyPair();
  const userKey = keyPair();
  const caSubject = [{ shortName: 'CN', value: 'Bench SP Issuing CA' }, { shortName: 'O', value: 'Bench' }, { shortName: 'OU', value: 'Aos' }];
  const cert = (key, signer, subject, serial, ca) => {
    const c = forge.pki.createCertificate();
    c.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    c.serialNumber = serial;
    c.validity.notBefore = new Date(Date.now() - 86_400_000);
    c.validity.notAfter = new Date(Date.now() + 7 * 86_400_000 * 52);
    c.setSubject(subject);
    c.setIssuer(caSubject);
    if (ca) c.setExtensions([{ name: 'basicConstraints', cA: true }]);
    c.sign(signer, forge.md.sha256.create());
    return c;
  };
  const caCert = cert(caKey, caKey, caSubject, '0A', true);
  const userCert = cert(userKey, caKey, [{ shortName: 'CN', value: 'bench' }, { shortName: 'O', value: 'aoscloud.io' }, { shortName: 'OU', value: 'Bench' }], '62B17649000AD78B', false);
  const asn1 = forge.pkcs12.toPkcs12Asn1(userKey, [userCert, caCert], '', { algorithm: 'aes256', friendlyName: 'aos-user' });
  writeFileSync(file, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
}

const CONFIG = `build:
    os: linux
    arch: x86
    sign_pkcs12: aos-user-sp.p12
    symlinks: copy
publish:
    url: aoscloud.io
    service_uid: 2efd1506-564e-40de-9466-66ae7a25fac0
    tls_pkcs12: aos-user-sp.p12
    version: "1.0.0"
configuration:
    cmd: python3 /opt/app/main.py
    workingDir: /opt/app
`;

// ---------------------------------------------------------------------------------------
// Measurements.

function hasGnuTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /Maximum resident set size/.test(r.stderr);
}

/** Runs a command, returning wall time and peak RSS (GNU time -v, else polling /proc VmHWM). */
function measure(cmd, args, opts) {
  const gnuTime = hasGnuTime();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = gnuTime
      ? spawn('/usr/bin/time', ['-v', cmd, ...args], { ...opts, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let hwmKb = 0;
    const poll = gnuTime
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
          } catch {
            // the process has exited
          }
        }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (poll) clearInterval(poll);
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${stderr}`));
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      const peakKb = m ? Number(m[1]) : hwmKb;
      const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
      const cpu = user && sys ? Number(user[1]) + Number(sys[1]) : undefined;
      resolve({ seconds, cpu, peakRss: peakKb * 1024, rssSource: m ? 'GNU time -v' : '/proc VmHWM polling', stdout, stderr });
    });
  });
}

/** `command -v NAME` succeeds. */
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' }).status === 0;

/**
 * pigz, the parallel gzip a lab would script its packaging with: found on PATH, else installed
 * with apt-get when the bench runs as root, else undefined (the pigz ratios are then skipped,
 * and the bench says so).
 */
function findPigz() {
  if (hasCommand('pigz')) return 'pigz';
  if (process.getuid?.() === 0 && hasCommand('apt-get')) {
    log('pigz is not installed: apt-get install -y pigz...');
    let r = spawnSync('apt-get', ['install', '-y', '-qq', 'pigz'], { stdio: 'inherit' });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      r = spawnSync('apt-get', ['install', '-y', '-qq', 'pigz'], { stdio: 'inherit' });
    }
    if (hasCommand('pigz')) return 'pigz';
  }
  log('pigz is not installed and could not be installed (apt-get install pigz): the pigz pipelines are not measured.');
  return undefined;
}

const sha3Command = () => (spawnSync('sh', ['-c', 'echo | openssl dgst -sha3-512'], { stdio: 'pipe' }).status === 0 ? 'openssl dgst -sha3-512' : 'sha512sum');

/** A shell pipeline, timed like our commands (bash, pipefail). */
async function pipeline(command, cwd) {
  const r = await measure('bash', ['-c', `set -o pipefail; ${command}`], { cwd });
  return { ...r, command };
}

/** What sign does, as a pipeline: tar the tree, gzip -6 it (GNU gzip or pigz), write it and hash it. */
const signPipelineCommand = (gzip, out) => `tar -cf - src | ${gzip} -6 | tee ${out} | ${sha3Command()} > /dev/null`;
/** What verify learns, as a pipeline: the inner archive hashed and read whole. */
const verifyPipelineCommand = (bundle, inner) => `tar -xzOf ${bundle} ${inner} | tee >(${sha3Command()} > /dev/null) | tar -tzf - > /dev/null`;
/** What layer pack does over an empty parent, as a pipeline. */
const packPipelineCommand = (gzip) => `tar --numeric-owner -cf - -C src . | ${gzip} -6 | sha256sum > /dev/null`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Runs `contenders` alternately (one of each per round, ROUNDS rounds) and returns their runs.
 * Each contender is { name, run(round) → measure() result }.
 */
async function alternate(contenders) {
  const runs = contenders.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, c] of contenders.entries()) {
      log(`Round ${round}/${ROUNDS}: ${c.name}...`);
      const r = await c.run(round);
      runs[i].push(r);
      log(`  ${secs(r.seconds)}${r.cpu !== undefined ? `, CPU ${secs(r.cpu)}` : ''}, peak RSS ${MB(r.peakRss)}`);
    }
  }
  return runs;
}

const loadNow = () => os.loadavg()[0].toFixed(2);

function machine() {
  const cpus = os.cpus();
  const [l1, l5] = os.loadavg();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model?.trim() ?? 'unknown CPU',
    memGb: os.totalmem() / 2 ** 30,
    node: process.version,
    load: `${l1.toFixed(2)} / ${l5.toFixed(2)}`,
  };
}


// ---------------------------------------------------------------------------------------
// (e) Upload: a loopback HTTPS sink requiring client certificates, the built CLI vs curl.

/** CA, server (127.0.0.1) and user certificates as files: the user's as PKCS#12 and PEM pair. */
function uploadPki(dir) {
  const forge = require('node-forge');
  const keyPair = () => forge.pki.privateKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const caSubject = [{ shortName: 'CN', value: 'Bench Cloud CA' }];
  const caKey = keyPair();
  const make = (key, subject, serial, extensions) => {
    const c = forge.pki.createCertificate();
    c.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
    c.serialNumber = serial;
    c.validity.notBefore = new Date(Date.now() - 86_400_000);
    c.validity.notAfter = new Date(Date.now() + 30 * 86_400_000);
    c.setSubject(subject);
    c.setIssuer(caSubject);
    c.setExtensions(extensions);
    c.sign(caKey, forge.md.sha256.create());
    return c;
  };
  const ca = make(caKey, caSubject, '01', [{ name: 'basicConstraints', cA: true }]);
  const serverKey = keyPair();
  const server = make(serverKey, [{ shortName: 'CN', value: 'localhost' }], '02', [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  const userKey = keyPair();
  const user = make(userKey, [{ shortName: 'CN', value: 'bench' }, { shortName: 'O', value: 'aoscloud.io' }], '03', []);
  const pem = forge.pki.certificateToPem;
  const files = { ca: path.join(dir, 'ca.pem'), key: path.join(dir, 'user-key.pem'), cert: path.join(dir, 'user-cert.pem'), p12: path.join(dir, 'aos-user-sp.p12') };
  writeFileSync(files.ca, pem(ca));
  writeFileSync(files.key, forge.pki.privateKeyToPem(userKey));
  writeFileSync(files.cert, pem(user) + pem(ca));
  const asn1 = forge.pkcs12.toPkcs12Asn1(userKey, [user, ca], '', { algorithm: 'aes256' });
  writeFileSync(files.p12, Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'));
  return { files, server: { key: forge.pki.privateKeyToPem(serverKey), cert: pem(server), ca: pem(ca) } };
}

/** Reads every upload to the end, hashing the body (never kept), and answers 201. */
async function startSink(tls) {
  const received = [];
  const server = https.createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on('end', () => {
      received.push({ bytes, sha256: hash.digest('hex') });
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: received.length, state: 'uploaded' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, received, url: `https://127.0.0.1:${server.address().port}` };
}

async function benchUpload(base) {
  const dir = path.join(base, 'upload');
  const svc = path.join(dir, 'svc');
  mkdirSync(path.join(svc, 'meta'), { recursive: true });
  mkdirSync(path.join(svc, 'src'), { recursive: true });
  const pki = uploadPki(path.join(svc, 'meta'));
  writeFileSync(path.join(svc, 'meta', 'config.yaml'), CONFIG);
  const blob = path.join(svc, 'src', 'blob.bin');
  writeFileSync(blob, '');
  for (let left = UPLOAD_MB * 1e6; left > 0; left -= 16 << 20) appendFileSync(blob, randomBytes(Math.min(left, 16 << 20)));
  const cli = path.join(ROOT, 'bin', 'aos-bundle.js');
  log(`Upload: signing a ${UPLOAD_MB} MB service...`);
  const signed = spawnSync(process.execPath, [cli, 'sign', svc], { env: { ...process.env, HOME: dir }, encoding: 'utf8' });
  if (signed.status !== 0) throw new Error(`sign failed: ${signed.stderr}`);
  const bundle = path.join(svc, 'service.tar.gz');
  const size = statSync(bundle).size;
  const sink = await startSink(pki.server);
  const query = '?service=2efd1506-564e-40de-9466-66ae7a25fac0&version=1.0.0&package_version=2';
  const check = (who) => {
    const got = sink.received.at(-1);
    if (!got || got.bytes < size) throw new Error(`${who}: the sink did not receive the whole bundle`);
  };
  const ours = [];
  const theirs = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      log(`Round ${round}/${ROUNDS}: aos-bundle upload...`);
      const config = path.join(dir, `config-${round}`);
      const a = await measure(process.execPath, [...UPLOAD_NODE_ARGS, cli, 'upload', bundle, '--ca', pki.files.ca, '--cloud', sink.url, '--json'], { env: { ...process.env, HOME: dir, BUNDLE_STUDIO_CONFIG_DIR: config } });
      check('aos-bundle upload');
      ours.push(a);
      log(`  ${secs(a.seconds)}, ${(size / 1e6 / a.seconds).toFixed(0)} MB/s, CPU ${a.cpu?.toFixed(2) ?? '?'} s, peak RSS ${MB(a.peakRss)}`);
      log(`Round ${round}/${ROUNDS}: curl...`);
      const c = await measure('curl', ['-sS', '-o', '/dev/null', '--fail', '-F', `file=@${bundle};filename=service.tar.gz;type=application/gzip`, '--cert', pki.files.cert, '--key', pki.files.key, '--cacert', pki.files.ca, `${sink.url}/api/v11/services/versions/${query}`], {});
      check('curl');
      theirs.push(c);
      log(`  ${secs(c.seconds)}, ${(size / 1e6 / c.seconds).toFixed(0)} MB/s, CPU ${c.cpu?.toFixed(2) ?? '?'} s, peak RSS ${MB(c.peakRss)}`);
    }
  } finally {
    sink.server.close();
  }
  if (!sink.received.every((r) => r.bytes >= size)) throw new Error('an upload arrived incomplete');
  const best = (runs) => Math.min(...runs.map((r) => r.seconds));
  return { size, ours, theirs, oursBest: best(ours), curlBest: best(theirs), peak: Math.max(...ours.map((r) => r.peakRss)), curlPeak: Math.max(...theirs.map((r) => r.peakRss)) };
}

function uploadRows(u) {
  const rate = (s) => `${(u.size / 1e6 / s).toFixed(0)} MB/s`;
  return [
    ['Upload bundle', `${MB(u.size)} over loopback HTTPS, client certificate required`],
    ['`aos-bundle upload` (read, outbox, send)', `${secs(u.oursBest)}, ${rate(u.oursBest)} (best of ${u.ours.length}: ${u.ours.map((r) => r.seconds.toFixed(2)).join(', ')} s)`],
    ['`curl -F file=@… --cert --key --cacert`', `${secs(u.curlBest)}, ${rate(u.curlBest)} (best of ${u.theirs.length}: ${u.theirs.map((r) => r.seconds.toFixed(2)).join(', ')} s)`],
    ['Throughput ratio aos-bundle / curl', `${(u.curlBest / u.oursBest).toFixed(2)} (goal ≥ 0.90)`],
    ['Peak RSS of `aos-bundle upload`', `${MB(u.peak)} (goal ≤ 150 MB; curl ${MB(u.curlPeak)}; ${u.ours[0].rssSource})`],
  ];
}

// ---------------------------------------------------------------------------------------
// CLI start-up: what a scripted build pays per call before any work.

async function benchStartup() {
  const cli = path.join(ROOT, 'bin', 'aos-bundle.js');
  const cases = [
    { label: '`node -e 0` (Node alone)', args: ['-e', '0'] },
    { label: '`aos-bundle --version`', args: [cli, '--version'] },
    { label: '`aos-bundle --help`', args: [cli, '--help'] },
  ];
  // NODE_EXTRA_CA_CERTS makes Node itself read and parse that file at start-up, before any
  // script (Node 20 loads it eagerly): with a whole system bundle that is ~90 ms on this VM.
  // Where it is set, the three are measured again without it (a workstation's usual start).
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  const envs = [{ note: extra ? ` (NODE_EXTRA_CA_CERTS=${extra})` : '', env: process.env }];
  if (extra) {
    const clean = { ...process.env };
    delete clean.NODE_EXTRA_CA_CERTS;
    envs.push({ note: ' (without NODE_EXTRA_CA_CERTS)', env: clean });
  }
  const all = envs.flatMap((e) => cases.map((c) => ({ ...c, label: `${c.label}${e.note}`, env: e.env })));
  const runs = all.map(() => []);
  log(`Start-up: ${STARTUP_RUNS} runs each of ${all.map((c) => c.label).join(', ')}, alternating...`);
  for (let i = 0; i < STARTUP_RUNS; i++) {
    all.forEach((c, k) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, c.args, { stdio: 'ignore', env: c.env });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`${c.label} exited with ${r.status}`);
      runs[k].push(ms);
    });
  }
  return all.map((c, k) => ({ label: c.label, node: k % cases.length === 0, medianMs: median(runs[k]), minMs: Math.min(...runs[k]) }));
}

function startupRows(s) {
  let node;
  return s.map((c) => {
    if (c.node) node = c;
    return [
      `Start-up: ${c.label}`,
      `median ${c.medianMs.toFixed(0)} ms, fastest ${c.minMs.toFixed(0)} ms (${STARTUP_RUNS} runs)${c.node ? '' : `; goal ≤ 100 ms; ${(c.medianMs - node.medianMs).toFixed(0)} ms over Node alone`}`,
    ];
  });
}

const tableOf = (rows) => ['| Measure | Result |', '|---|---|', ...rows.map((r) => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)].join('\n');

/** Timing rows of one case: each contender's median, runs and CPU, and our ratios to the pipelines. */
function caseRows(title, ours, pipelines, note) {
  const all = (runs) => runs.map((r) => r.seconds.toFixed(2)).join(', ');
  const cpu = (runs) => {
    const c = runs.map((r) => r.cpu).filter((x) => x !== undefined);
    return c.length ? `; CPU median ${secs(median(c))}` : '';
  };
  const m = (runs) => median(runs.map((r) => r.seconds));
  const rows = [[title, `${secs(m(ours.runs))} (median of ${ours.runs.length}: ${all(ours.runs)} s${cpu(ours.runs)}); peak RSS ${MB(Math.max(...ours.runs.map((r) => r.peakRss)))}${note ? `; ${note}` : ''}`]];
  for (const p of pipelines) rows.push([`\`${p.command}\``, `${secs(m(p.runs))} (median of ${p.runs.length}: ${all(p.runs)} s${cpu(p.runs)})`]);
  for (const p of pipelines) rows.push([`Ratio ${ours.short} / ${p.short}`, `**${(m(ours.runs) / m(p.runs)).toFixed(2)}** (goal ≤ 1.0)`]);
  rows.push([`Load average (1 min) during ${ours.short}`, `${ours.loadBefore} before, ${loadNow()} after`]);
  return rows;
}

/**
 * The same tree as a schemaVersion 2 deployment bundle: the bench's temp folder itself, with
 * one service item whose image is svc/src (everything else there is left out of the bundle).
 */
function makeDeploymentBundle(base, tree) {
  writeFileSync(path.join(base, 'aos-user-oem.p12'), readFileSync(path.join(tree.svc, 'meta', 'aos-user-sp.p12')));
  writeFileSync(
    path.join(base, 'config.yaml'),
    ['schemaVersion: 2', 'publish:', '  tlsKey: aos-user-oem.p12', 'items:', '  - identity:', '      type: service', '      codename: bench', '    version: 1.0.0', `    sourceFolder: ${path.relative(base, tree.svc)}`, '    images:', '      - archInfo: {architecture: amd64}', '        sourceFolder: src', ''].join('\n'),
  );
  return base;
}

/**
 * Which measurements run: BENCH_CASES, a comma list of sign, sign-v2, verify, pack, layer,
 * keystroke, listing, upload, startup (default all of them). BENCH_UPLOAD_ONLY=1 is
 * BENCH_CASES=upload; BENCH_CASE is read as BENCH_CASES.
 */
const CASES = new Set((process.env.BENCH_UPLOAD_ONLY === '1' ? 'upload' : (process.env.BENCH_CASES ?? process.env.BENCH_CASE ?? 'all')).split(',').map((c) => c.trim()));
const wants = (c) => CASES.has('all') || CASES.has(c);

async function main() {
  ensureBuilt();
  const bench = require(path.join(ROOT, 'dist/bench/in-process.js'));
  const before = machine();
  const base = mkdtempSync(path.join(os.tmpdir(), 'aos-bench-'));
  const cleanup = () => {
    if (process.env.BENCH_KEEP === '1') log(`kept ${base}`);
    else rmSync(base, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const rows = [];
    const treeCases = ['sign', 'sign-v2', 'verify', 'pack', 'layer'].filter(wants);
    const cli = path.join(ROOT, 'bin', 'aos-bundle.js');
    const out = path.join(base, 'out');
    mkdirSync(out);
    let tree;
    if (treeCases.length) {
      log(`Generating ${FILES} files, ${TOTAL_MB} MB in ${base}...`);
      const t0 = performance.now();
      tree = makeTree(base);
      writeP12(path.join(tree.svc, 'meta', 'aos-user-sp.p12'));
      writeFileSync(path.join(tree.svc, 'meta', 'config.yaml'), CONFIG);
      log(`  done in ${secs((performance.now() - t0) / 1000)}`);
      // Read the tree once so that neither contender pays for a cold page cache.
      spawnSync('sh', ['-c', 'find src -type f -exec cat {} + > /dev/null'], { cwd: tree.svc });
      rows.push(['Tree', `${tree.files} files, ${MB(tree.textBytes + tree.binBytes)} (${MB(tree.textBytes)} text, ${MB(tree.binBytes)} random)`]);
    }
    const pigz = treeCases.length ? findPigz() : undefined;
    const gzips = ['gzip', ...(pigz ? [pigz] : [])];
    if (treeCases.length && !pigz) rows.push(['pigz', 'not installed: the pigz pipelines were not measured']);
    const env = { ...process.env, HOME: base };
    const pipelineOut = path.join(out, 'pipeline.tar.gz');

    /** sign (v1 from the service folder, v2 from the deployment bundle) against tar | gzip/pigz | tee | sha3. */
    const signCase = async (name, dir) => {
      const loadBefore = loadNow();
      let size = 0;
      const [ours, ...theirs] = await alternate([
        {
          name: `aos-bundle ${name}`,
          run: async (round) => {
            const bundle = path.join(out, `${name}-${round}.tar.gz`);
            const r = await measure(process.execPath, [cli, 'sign', dir, '-o', bundle], { env });
            size = statSync(bundle).size;
            rmSync(bundle);
            return r;
          },
        },
        ...gzips.map((g) => ({
          name: `tar | ${g} -6 | tee | sha3-512`,
          run: async () => {
            const r = await pipeline(signPipelineCommand(g, pipelineOut), tree.svc);
            rmSync(pipelineOut, { force: true });
            return r;
          },
        })),
      ]);
      rows.push(
        ...caseRows(
          `\`aos-bundle sign\` (${name}) wall time`,
          { runs: ours, short: name, loadBefore },
          theirs.map((runs, i) => ({ runs, command: signPipelineCommand(gzips[i], 'FILE'), short: `${gzips[i]} pipeline` })),
          `bundle ${MB(size)}`,
        ),
      );
    };
    if (wants('sign')) await signCase('sign v1', tree.svc);
    if (wants('sign-v2')) await signCase('sign v2', makeDeploymentBundle(base, tree));

    if (wants('verify')) {
      const bundle = path.join(out, 'verify.tar.gz');
      log('Signing the bundle verify reads...');
      const signed = spawnSync(process.execPath, [cli, 'sign', tree.svc, '-o', bundle], { env, encoding: 'utf8' });
      if (signed.status !== 0) throw new Error(`sign failed: ${signed.stderr}`);
      const loadBefore = loadNow();
      const [ours, theirs] = await alternate([
        { name: 'aos-bundle verify', run: () => measure(process.execPath, [cli, 'verify', bundle], { env }) },
        { name: 'tar -xzOf | tee >(sha3-512) | tar -tzf', run: () => pipeline(verifyPipelineCommand(bundle, './service.tar.gz'), out) },
      ]);
      rows.push(...caseRows('`aos-bundle verify` wall time', { runs: ours, short: 'verify', loadBefore }, [{ runs: theirs, command: verifyPipelineCommand('BUNDLE', './service.tar.gz'), short: 'pipeline' }], `bundle ${MB(statSync(bundle).size)}`));
      rmSync(bundle);
    }

    if (wants('pack')) {
      // Over an empty parent the layer is the whole tree: the same work as the pipelines.
      const emptyParent = path.join(base, 'empty-parent');
      mkdirSync(emptyParent);
      const loadBefore = loadNow();
      let size = 0;
      const [ours, ...theirs] = await alternate([
        {
          name: 'aos-bundle layer pack',
          run: async (round) => {
            const packOut = path.join(out, `layer-${round}`);
            const r = await measure(process.execPath, [cli, 'layer', 'pack', tree.src, '--parent', emptyParent, '--version', '1.0.0', '--arch', 'amd64', '--out', packOut], {});
            size = statSync(path.join(packOut, 'linux-amd64-1.0.0.tar.gz')).size;
            rmSync(packOut, { recursive: true, force: true });
            return r;
          },
        },
        ...gzips.map((g) => ({ name: `tar | ${g} -6 | sha256sum`, run: () => pipeline(packPipelineCommand(g), tree.svc) })),
      ]);
      rows.push(
        ...caseRows(
          '`aos-bundle layer pack` wall time (whole tree over an empty parent)',
          { runs: ours, short: 'layer pack', loadBefore },
          theirs.map((runs, i) => ({ runs, command: packPipelineCommand(gzips[i]), short: `${gzips[i]} pipeline` })),
          `layer ${MB(size)}`,
        ),
      );
    }

    if (wants('layer')) {
      const layerRuns = [];
      for (let round = 1; round <= ROUNDS; round++) {
        log(`Round ${round}/${ROUNDS}: rootfs layer build...`);
        const r = await bench.benchRootfsLayer(tree.src);
        layerRuns.push(r);
        log(`  ${secs(r.seconds)}, ${r.mbPerSecond.toFixed(1)} MB/s`);
      }
      const layer = layerRuns.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      rows.push(['Rootfs layer build rate', `${layer.mbPerSecond.toFixed(1)} MB/s (${MB(layer.bytes)} in ${secs(layer.seconds)}, layer ${MB(layer.size)}; best of ${layerRuns.length}: ${layerRuns.map((r) => r.mbPerSecond.toFixed(1)).join(', ')} MB/s)`]);
    }

    if (wants('keystroke')) {
      log(`Keystroke → preview (${KEYSTROKE_ITERATIONS} iterations)...`);
      const configText = readFileSync(path.join(ROOT, 'test/unit/oci/fixtures/full-config.yaml'), 'utf8');
      const keys = bench.benchKeystrokeToPreview(configText, { iterations: KEYSTROKE_ITERATIONS });
      log(`  median ${keys.medianMs.toFixed(2)} ms`);
      rows.push(['Config keystroke → updated preview', `median ${keys.medianMs.toFixed(2)} ms, p95 ${keys.p95Ms.toFixed(2)} ms (${keys.iterations} runs of parse + validate + buildPreview on full-config.yaml; goal < 100 ms)`]);
    }

    if (wants('listing')) {
      log(`Listing a rootfs of ${LISTING_FILES} files (opening a service)...`);
      const listingDir = path.join(base, 'listing');
      bench.makeListingTree(listingDir, LISTING_FILES);
      const listing = await bench.benchSourceListing(listingDir, ROUNDS);
      log(`  ${listing.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      rows.push(['Listing a rootfs of ' + listing.entries + ' entries (`src/` tree when a service opens)', `${Math.min(...listing.runsMs).toFixed(0)} ms (best of ${listing.runsMs.length}: ${listing.runsMs.map((ms) => ms.toFixed(0)).join(', ')} ms)`]);
    }

    if (wants('upload')) rows.push(...uploadRows(await benchUpload(base)));
    if (wants('startup')) rows.push(...startupRows(await benchStartup()));

    const after = machine();
    rows.unshift(['Machine', `${before.cpus} cores (${before.model}), ${before.memGb.toFixed(0)} GiB RAM, Node ${before.node}; load avg 1/5 min ${before.load} before, ${after.load} after`]);
    process.stdout.write(`\n${tableOf(rows)}\n`);
  } finally {
    cleanup();
  }
}

main().catch((e) => {
  log(`bench: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
});
