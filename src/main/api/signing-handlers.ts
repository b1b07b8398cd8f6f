// Handlers for signing and checking bundles: thin calls into core/bundle and
// core/credentials. Signing runs as a job so the window stays live and can cancel it.
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { inspectBundle, parseBundleConfig, readBundleConfig, signServiceBundle, verifyBundle } from '../core/bundle';
import { configPathOf } from '../core/service-tree/layout';
import { describeCredentials, resolveCredentialPath } from '../core/credentials';
import { resolveAppSignOutput } from '../core/bundle/output-policy';
import { WriteGrants } from '../core/fs/write-grants';
import { appError } from '../../shared/errors';
import type { Handlers } from './handlers';
import type { JobRegistry } from './jobs';

type SigningChannels = 'credentials.forService' | 'bundle.sign' | 'bundle.verify' | 'bundle.inspect';

export function createSigningHandlers(
  jobs: JobRegistry,
  resolvePath: (p: string) => string,
  homeDir = homedir(),
  /** Paths chosen in native save dialogs ('dialog.saveFile'); none in browser mode. */
  grants: WriteGrants = new WriteGrants(),
): Pick<Handlers, SigningChannels> {
  return {
    'credentials.forService': async ({ root, password, configText }) => {
      // The editor's text when given: the card shows what the screen's config names, saved or not.
      const config = configText === undefined
        ? await readBundleConfig(resolvePath(root))
        : parseBundleConfig(configText, configPathOf(resolvePath(root)));
      const signing = config.signing;
      if (!signing) {
        throw appError('credentials', 'config.yaml names no signing credentials: set build.sign_pkcs12, or build.sign_key and build.sign_certificate.', { file: config.configPath, path: 'build' });
      }
      const configDir = dirname(config.configPath);
      const file = signing.kind === 'pkcs12'
        ? await resolveCredentialPath(signing.ref, { configDir, homeDir, location: signing.location })
        : await resolveCredentialPath(signing.certRef, { configDir, homeDir, location: signing.certLocation });
      return { file, summary: await describeCredentials(file, password) };
    },
    'bundle.sign': async ({ root, outFile, outGrant, password }) => {
      const { jobId } = jobs.start('bundle.sign', async (signal, report) =>
        signServiceBundle({
          root: resolvePath(root),
          // Inside the service folder, or the file chosen in a native save dialog (output-policy.ts).
          outFile: await resolveAppSignOutput({ root: resolvePath(root), outFile: outFile && resolvePath(outFile), grant: outGrant }, grants),
          password,
          signal,
          homeDir,
          onProgress: (p) => report({ phase: p.phase, done: p.done, total: p.total, filesDone: p.filesDone, filesTotal: p.filesTotal }),
        }),
      );
      return { jobId };
    },
    'bundle.verify': async ({ path, certPath, password }) => verifyBundle(resolvePath(path), { cert: certPath && resolvePath(certPath), password }),
    'bundle.inspect': async ({ path }) => inspectBundle(resolvePath(path)),
  };
}
