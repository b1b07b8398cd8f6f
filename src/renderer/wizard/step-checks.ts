// The wizard's checks against the disk, run when Next is pressed: the folder step refuses a
// name that already holds a service (or is a file), the certificate step a path where no
// file is. The final say stays with 'service.init' (the disk can change in between); these
// only bring the problem to the step where it can be fixed.
import type { ApiClient } from '../api/context';
import { isApiError } from '../api/errors';
import { baseName, folderOf, isAbsolutePath } from '../common/paths';
import { targetDir, type NewServiceValues } from './wizard-form';

export interface StepProblem {
  field: keyof NewServiceValues;
  message: string;
}

type Call = ApiClient['call'];

export async function checkFolderOnDisk(call: Call, values: NewServiceValues): Promise<StepProblem | null> {
  const name = values.name.trim();
  let listing;
  try {
    listing = await call('fs.browse', { path: values.parent.trim(), showFiles: true });
  } catch {
    // A parent that does not exist yet is created with the service; one that cannot be
    // listed is for 'service.init' to report, with its reason.
    return null;
  }
  const same = listing.entries.find((e) => e.name === name);
  if (!same) return null;
  if (same.kind === 'file') return { field: 'name', message: `A file named ${name} is already there; choose another name.` };
  if (same.isService) return { field: 'name', message: `${targetDir(values)} is already a service; choose another name, or open it from the start screen.` };
  return null;
}

export async function checkCertificateOnDisk(call: Call, values: NewServiceValues): Promise<StepProblem | null> {
  const path = values.pkcs12Path.trim();
  // A relative name is looked up at sign time (meta/, ~/.aos/security/): nothing to check here.
  if (!path || !isAbsolutePath(path)) return null;
  const missing = { field: 'pkcs12Path' as const, message: `No file at ${path}; pick the certificate with Browse… or leave the field empty.` };
  let listing;
  try {
    listing = await call('fs.browse', { path: folderOf(path), showFiles: true });
  } catch (err) {
    return isApiError(err, 'not-found') ? missing : null;
  }
  return listing.entries.some((e) => e.kind === 'file' && e.name === baseName(path)) ? null : missing;
}
