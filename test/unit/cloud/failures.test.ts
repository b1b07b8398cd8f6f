// The pure parts of upload: messages of error bodies, 401/403 wording, backoff bounds, and
// which address a bundle goes to.
import { backoffDelay, cloudAddress, connectionFailure, fieldMessages, httpFailure, isRetryable, parseCloudOverride, withRetries, ENDPOINTS } from '../../../src/main/core/cloud';
import { parseCertificateDer } from '../../../src/main/core/credentials';
import { failureOf } from '../../support/failure';
import { makeTestPki } from '../credentials/pki-fixtures';
import forge from 'node-forge';

describe('fieldMessages', () => {
  it('lists every field → message, nested fields dotted, general keys without a field', () => {
    expect(fieldMessages({ detail: 'Bad.', version: ['a', 'b'], file: { config: ['c'], items: [{ codename: 'd' }] }, non_field_errors: ['e'] })).toEqual([
      'Bad.',
      'version: a',
      'version: b',
      'file.config: c',
      'file.items.0.codename: d',
      'e',
    ]);
  });
});

describe('httpFailure', () => {
  const up = ENDPOINTS.serviceVersionUpload;
  it('401 speaks of the certificate, 403 of roles; neither is retried', () => {
    const f401 = httpFailure(up, 401, { detail: 'Authentication credentials were not provided.' });
    expect(f401.error.code).toBe('unauthorized');
    expect(f401.message).toMatch(/did not accept your certificate .*HTTP 401: Authentication credentials were not provided\).*expired/);
    const f403 = httpFailure(up, 403, { detail: 'You do not have permission to perform this action.' });
    expect(f403.message).toMatch(/your role may not do this: uploading the service version was refused \(HTTP 403: You do not have permission to perform this action\)\. Services are uploaded by service providers .*aos-user-sp\.p12.*ask your organisation's admin/);
    // Each upload says whose it is: a layer bundle's 403 names the OEM's certificate.
    const layers = httpFailure(ENDPOINTS.deploymentBundleUpload, 403, { detail: 'You do not have permission to perform this action.' });
    expect(layers.message).toMatch(/Only OEM users upload layers and components \(their certificate is normally aos-user-oem\.p12\)/);
    expect(isRetryable(f401) || isRetryable(f403)).toBe(false);
  });
  it('a text body is shown as text; 502/503/504 are retryable', () => {
    const f = httpFailure(up, 502, '<html>Bad Gateway</html>');
    expect(f.message).toContain('HTTP 502: <html>Bad Gateway</html>');
    expect(isRetryable(f)).toBe(true);
    expect(isRetryable(httpFailure(up, 500, ''))).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter inside [ceiling/2, ceiling], capped by maxMs', () => {
    const policy = { tries: 8, baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });
  it('stops after the bounded number of tries and never retries a 4xx', async () => {
    let calls = 0;
    const f = await failureOf(withRetries(async () => {
      calls++;
      throw httpFailure(ENDPOINTS.usersMe, 503, '');
    }, { policy: { tries: 3, baseMs: 1, maxMs: 1 } }));
    expect(f.error.code).toBe('network');
    expect(calls).toBe(3);
    calls = 0;
    await failureOf(withRetries(async () => {
      calls++;
      throw httpFailure(ENDPOINTS.usersMe, 404, '');
    }, { policy: { tries: 3, baseMs: 1, maxMs: 1 } }));
    expect(calls).toBe(1);
  });
});

describe('cloudAddress', () => {
  const { user } = makeTestPki();
  const leaf = parseCertificateDer(Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(user.cert)).getBytes(), 'binary'));
  it('override, else the config domain, else the certificate O, else aoscloud.io; port 10000', () => {
    expect(cloudAddress({ override: 'https://127.0.0.1:8443', configDomain: 'x.io', certificate: leaf })).toMatchObject({ base: 'https://127.0.0.1:8443/', source: 'override' });
    expect(cloudAddress({ configDomain: 'cloud.example.com', certificate: leaf })).toMatchObject({ base: 'https://cloud.example.com:10000/', source: 'config' });
    expect(cloudAddress({ certificate: leaf })).toMatchObject({ base: 'https://aoscloud.io:10000/', source: 'certificate' });
    expect(cloudAddress({})).toMatchObject({ base: 'https://aoscloud.io:10000/', source: 'default' });
    expect(parseCloudOverride('https://on-prem.example')).toMatchObject({ port: 10000 });
  });
  it('refuses http, paths and credentials in --cloud', () => {
    for (const bad of ['http://x.io:1', 'https://x.io/api', 'https://u:p@x.io', 'x.io']) expect(() => parseCloudOverride(bad)).toThrow();
  });
});

describe('connectionFailure', () => {
  it('a host name that does not resolve says where the address came from and how to give another', () => {
    const err = Object.assign(new Error('getaddrinfo ENOTFOUND aoscloud.io'), { code: 'ENOTFOUND' });
    const f = connectionFailure(err, 'aoscloud.io', 'asking who you are');
    expect(f.message).toBe(
      "While asking who you are, the connection to aoscloud.io failed: the host name is not known (DNS) (ENOTFOUND). Check the cloud address: publish.url (publish.domain in a deployment bundle), else your certificate's O, else aoscloud.io; --cloud https://HOST:PORT (Cloud settings in the app) overrides it.",
    );
    // Not tried again at once (the name will not exist seconds later), but still a network failure.
    expect(isRetryable(f)).toBe(false);
    expect(f.error.code).toBe('network');
    const again = connectionFailure(Object.assign(new Error('getaddrinfo EAI_AGAIN aoscloud.io'), { code: 'EAI_AGAIN' }), 'aoscloud.io', 'uploading');
    expect(isRetryable(again)).toBe(true);
  });

  it('a refused connection says only what happened', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(connectionFailure(err, '127.0.0.1', 'uploading').message).toBe('While uploading, the connection to 127.0.0.1 failed: nothing listens there (connection refused) (ECONNREFUSED).');
  });
});
