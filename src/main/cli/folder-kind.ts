// Which kind of folder a command was given (a v1 service tree or a schemaVersion 2
// deployment bundle), told on stderr so that people see what was found.
import { detectFolderKind, FOLDER_KIND_NAMES, type FolderKind } from '../core/deployment-bundle/folder-kind';
import type { CliIo } from './io';

export async function folderKindFor(dir: string, io: CliIo): Promise<FolderKind> {
  const kind = await detectFolderKind(dir);
  io.stderr(`found: ${FOLDER_KIND_NAMES[kind.kind]} in ${kind.root}\n`);
  return kind;
}

/** How a signed bundle's kind is named (verify, inspect). */
export const BUNDLE_KIND_TEXT = {
  service: 'service bundle (service.tar.gz inside)',
  'deployment-bundle': 'deployment bundle (batch.tar.gz inside)',
} as const;
