// Handlers for deployment bundles (schemaVersion 2, deployment-bundle.md): thin calls into
// core/deployment-bundle and core/credentials, the same use-cases the CLI runs.
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { appError, AppFailure } from '../../shared/errors';
import { checkDeploymentConfig } from '../../shared/deployment-config';
import { describeCredentials, resolveCredentialPath } from '../core/credentials';
import { createDeploymentBundle } from '../core/deployment-bundle/create-bundle';
import { openDeploymentBundle, saveDeploymentConfig } from '../core/deployment-bundle/bundle-document';
import { diagnoseDeploymentConfig } from '../core/deployment-bundle/check-bundle';
import { detectFolderKind, FOLDER_KIND_NAMES } from '../core/deployment-bundle/folder-kind';
import { readDeploymentConfigFile } from '../core/deployment-bundle/config-file';
import { bundleConfigPathOf } from '../core/deployment-bundle/layout';
import { locate } from '../../shared/config-common';
import type { RecentServices } from '../core/settings/recent-services';
import { BATCH_ARCHIVE, EXCLUSION_WORDS, listBatchContents, signDeploymentBundle } from '../core/bundle';
import { resolveAppSignOutput } from '../core/bundle/output-policy';
import { previewDeploymentBundle } from '../core/oci';
import { WriteGrants } from '../core/fs/write-grants';
import type { Handlers } from './handlers';
import type { ServiceWatches } from './watch-handlers';
import type { JobRegistry } from './jobs';

type DeploymentChannels =
  | 'folder.detect'
  | 'deployment.create'
  | 'deployment.open'
  | 'deployment.validate'
  | 'deployment.save'
  | 'credentials.forDeployment'
  | 'deployment.contents'
  | 'deployment.sign'
  | 'deployment.preview';

export function createDeploymentHandlers(
  jobs: JobRegistry,
  resolvePath: (p: string) => string,
  recent: RecentServices,
  homeDir = homedir(),
  /** Paths chosen in native save dialogs ('dialog.saveFile'); none in browser mode. */
  grants: WriteGrants = new WriteGrants(),
  /** The watches of open views ('service.watch'): the app's own read and save of config.yaml are not news to them. */
  watches?: Pick<ServiceWatches, 'noteConfig'>,
): Pick<Handlers, DeploymentChannels> {
  return {
    'deployment.contents': async ({ root }) => {
      const contents = await listBatchContents(resolvePath(root), { homeDir });
      return {
        packed: contents.entries.filter((e) => e.kind !== 'folder').map((e) => ({ path: e.path, size: e.size, kind: e.kind === 'symlink' ? ('symlink' as const) : ('file' as const) })),
        totalBytes: contents.totalBytes,
        notPacked: contents.excluded.map((e) => ({ path: e.path, ...(e.size !== undefined ? { size: e.size } : {}), reason: EXCLUSION_WORDS[e.reason] })),
        problems: contents.problems.map((p) => ({ path: p.reference ?? p.location.path ?? '', message: p.message })),
        warnings: contents.warnings.map((p) => ({ path: p.reference ?? p.location.path ?? '', message: p.message })),
      };
    },
    'deployment.sign': async ({ root, outFile, outGrant, password }) => {
      const dir = resolvePath(root);
      const { jobId } = jobs.start('deployment.sign', async (signal, report) =>
        signDeploymentBundle({
          dir,
          // Inside the bundle folder (default batch.tar.gz there), or the file chosen in a native save dialog.
          outFile: await resolveAppSignOutput({ root: dir, outFile: outFile ? resolvePath(outFile) : join(dir, BATCH_ARCHIVE), grant: outGrant }, grants),
          password,
          signal,
          homeDir,
          onProgress: (p) => report({ phase: p.phase, done: p.done, total: p.total, filesDone: p.filesDone, filesTotal: p.filesTotal }),
        }),
      );
      return { jobId };
    },
    'deployment.preview': async ({ root }) => {
      const dir = resolvePath(root);
      const { jobId } = jobs.start('deployment.preview', async (signal, report) => {
        const r = await previewDeploymentBundle({ root: dir, homeDir, signal, onProgress: (p) => report({ phase: 'images', done: p.done, total: p.total }) });
        return { kind: r.kind, root: r.root, items: r.items };
      });
      return { jobId };
    },
    'folder.detect': async ({ dir }) => {
      try {
        const found = await detectFolderKind(resolvePath(dir));
        const kind = found.kind === 'deployment-bundle' ? 'deployment' : 'service';
        return { kind, root: found.root, message: `${found.root} is a ${FOLDER_KIND_NAMES[found.kind]}.` };
      } catch (err) {
        // "Nothing to open here" is an answer, with what was found instead; other failures stay errors.
        if (err instanceof AppFailure && (err.error.code === 'not-a-bundle' || err.error.code === 'not-found')) {
          return { kind: 'none' as const, root: resolvePath(dir), message: err.message };
        }
        throw err;
      }
    },
    'deployment.create': async ({ dir, text, copies }) =>
      createDeploymentBundle({ dir: resolvePath(dir), text, copies: copies.map((c) => ({ from: resolvePath(c.from), to: c.to })) }),
    'deployment.open': async ({ dir }) => {
      const snapshot = await openDeploymentBundle(resolvePath(dir), { homeDir });
      watches?.noteConfig(snapshot.root, snapshot.configText);
      await recent.remember(snapshot.root, new Date(), 'deployment');
      return snapshot;
    },
    'deployment.validate': async ({ root, text }) => ({ diagnostics: (await diagnoseDeploymentConfig(text, resolvePath(root), { homeDir })).diagnostics }),
    'deployment.save': async ({ root, text, expectedMtimeMs, force }) => {
      watches?.noteConfig(resolvePath(root), text);
      const saved = await saveDeploymentConfig(resolvePath(root), text, { expectedMtimeMs, force });
      return { configMtimeMs: saved.configMtimeMs, diagnostics: (await diagnoseDeploymentConfig(text, resolvePath(root), { homeDir })).diagnostics };
    },
    'credentials.forDeployment': async ({ root, password, configText }) => {
      // The editor's text when given: the card shows what the screen's config names, saved or not.
      const bundleRoot = resolvePath(root);
      const configPath = bundleConfigPathOf(bundleRoot);
      const text = configText ?? (await readDeploymentConfigFile(bundleRoot)).text;
      const { parsed } = checkDeploymentConfig(text);
      const publish = (parsed.value as { publish?: { tlsKey?: unknown } } | undefined)?.publish;
      const ref = typeof publish?.tlsKey === 'string' ? publish.tlsKey.trim() : '';
      if (!ref) throw appError('credentials', 'config.yaml names no certificate: set publish.tlsKey to your PKCS#12 file.', { file: configPath, path: 'publish.tlsKey' });
      const at = locate(parsed, ['publish', 'tlsKey']);
      const file = await resolveCredentialPath(ref, {
        configDir: dirname(configPath),
        homeDir,
        location: { file: configPath, path: 'publish.tlsKey', ...(at ? { line: at.line, column: at.column } : {}) },
      });
      return { file, summary: await describeCredentials(file, password) };
    },
  };
}
