// Shared fakes for the Sign step and Verify tests.
import type { CertificateSummary, InspectReport, SignResult, VerifyReport } from '../../src/shared/contract';

export const ROOT = '/home/jane/services/hello-world';
export const CONFIG_PATH = `${ROOT}/meta/config.yaml`;
export const P12 = `${ROOT}/meta/aos-user-sp.p12`;

export const SUMMARY: CertificateSummary = {
  subject: { commonName: 'jane', organization: 'aoscloud.io', organizationalUnit: 'Acme Services', email: 'jane@example.com' },
  issuer: 'CN=Test SP Issuing CA,O=Test,OU=Aos',
  serialNumber: '62B17649000AD78B',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  keyType: 'RSA 2048',
  roleGuess: 'service provider (guessed from the file name)',
  status: 'valid',
};

export const RESULT: SignResult = {
  path: `${ROOT}/service.tar.gz`,
  size: 10_485_760,
  sha256: 'a'.repeat(64),
  warnings: ['Symlink lib/x -> /opt/x points outside the source folder.'],
  inner: { name: 'service.tar.gz', size: 10_000_000, sha3_512: 'c'.repeat(128) },
  kid: 'kid-value',
  files: 10,
};

const MEMBERS = [
  { name: 'config.yaml', stored: 'config.yaml', type: 'File', size: 512, mode: 0o644 },
  { name: 'service.tar.gz', stored: 'service.tar.gz', type: 'File', size: 10_000_000, mode: 0o644 },
  { name: 'package.sign', stored: 'package.sign', type: 'File', size: 900, mode: 0o644 },
];

export const VERIFY_OK: VerifyReport = {
  ok: true,
  bundle: `${ROOT}/service.tar.gz`,
  checks: [
    { id: 'member.config.yaml', ok: true, message: 'config.yaml is present', member: 'config.yaml' },
    { id: 'hash.service.tar.gz', ok: true, message: 'service.tar.gz hash matches', member: 'service.tar.gz', field: 'payload.data[1].hash' },
    { id: 'signature', ok: true, message: 'RS256 signature is valid', member: 'package.sign', field: 'signature' },
  ],
  failures: [],
  signatureChecked: true,
  signer: { kid: 'Q049VGVzdA.62B17649000AD78B', issuer: 'CN=Test SP Issuing CA,O=Test,OU=Aos', serial: '62B17649000AD78B' },
  members: MEMBERS,
};

const BAD = { id: 'hash.service.tar.gz', ok: false, message: 'service.tar.gz: SHA3-512 does not match package.sign', member: 'service.tar.gz', field: 'payload.data[1].hash' };
export const VERIFY_FAIL: VerifyReport = {
  ...VERIFY_OK,
  ok: false,
  checks: [VERIFY_OK.checks[0], BAD],
  failures: [BAD],
  signatureChecked: false,
};

export const INSPECT: InspectReport = {
  bundle: `${ROOT}/service.tar.gz`,
  size: 10_001_412,
  members: MEMBERS,
  config: { version: '1.0.0', serviceUid: '0c6bd4d2-6e7f-4b6e-9b1a-1f2c3d4e5f60', url: 'aoscloud.io', cmd: 'python3 /usr/bin/services/hello.py', arch: 'x86', os: 'linux', stateRequired: false },
  service: { size: 10_000_000, sha3_512: 'c'.repeat(128), files: 3, directories: 4, symlinks: 0, bytes: 12_000_000, entries: [], truncated: false },
  problems: [],
};
