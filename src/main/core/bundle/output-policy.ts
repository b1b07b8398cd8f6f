// Where the app (Electron or browser mode) may write a signed bundle. The CLI calls
// signServiceBundle directly and writes wherever -o says; through the API, whoever holds
// the renderer (or the browser-mode token) must not be able to drop a file anywhere the
// user can write. So the API signs only
//   - inside the service folder (by real path: a symlink does not carry the output out), or
//   - to the one path the user chose in a native save dialog, proven by the grant main
//     handed out with it (WriteGrants); the renderer cannot make one up.
// The default output, <build.package_folder>/service.tar.gz, follows the same rule, since
// config.yaml can be edited through the API too.
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppFailure, appError } from '../../../shared/errors';
import { isInsideOrSame, resolveContained } from '../fs/contained-path';
import { metaDirOf } from '../service-tree/layout';
import type { WriteGrants } from '../fs/write-grants';
import { readBundleConfig } from './config';
import { defaultBundleFile } from './sign';

export interface AppSignOutputRequest {
  /** The service root, absolute. */
  root: string;
  /** The output file, absolute, as the renderer named it. */
  outFile?: string;
  /** The grant 'dialog.saveFile' returned with outFile. */
  grant?: string;
}

/** The file the API may sign into for this request, or an AppError 'forbidden' naming it. */
export async function resolveAppSignOutput(request: AppSignOutputRequest, grants: WriteGrants): Promise<string> {
  if (request.grant !== undefined) {
    const granted = grants.pathOf(request.grant);
    if (granted === null) {
      throw appError('forbidden', 'The file chosen in the save dialog is no longer valid (unknown or expired); choose it again.', request.outFile ? { file: request.outFile } : undefined);
    }
    if (request.outFile !== undefined && path.resolve(request.outFile) !== granted) {
      throw appError('forbidden', `${request.outFile} is not the file chosen in the save dialog (${granted}); choose it again.`, { file: request.outFile });
    }
    return granted;
  }

  const root = path.resolve(request.root);
  let target = request.outFile;
  let where: { file: string; path?: string } | undefined;
  if (target === undefined) {
    const config = await readBundleConfig(root);
    target = defaultBundleFile(config);
    where = { file: config.configPath, path: 'build.package_folder' };
  }
  let real: string;
  try {
    real = (await resolveContained(root, target, { baseName: 'the service folder', label: target })).real;
  } catch (err) {
    if (!(err instanceof AppFailure) || err.error.code !== 'invalid-input') throw err;
    throw appError(
      'forbidden',
      `${err.error.message} The app writes a signed bundle only inside the service folder ${root}, ` +
        'unless you choose the file in the save dialog of the desktop app.',
      where ?? { file: path.resolve(target) },
    );
  }
  // meta/ holds the config and the keys: a bundle never replaces one of them.
  const meta = await realpath(metaDirOf(root)).catch(() => metaDirOf(root));
  if (isInsideOrSame(meta, real)) {
    throw appError('forbidden', `${target} is inside meta/, next to config.yaml and the keys; sign into the service folder or a subfolder other than meta/.`, where ?? { file: path.resolve(target) });
  }
  return real;
}
