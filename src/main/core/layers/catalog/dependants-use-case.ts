// The "dependants of a catalog version" use-case ('layers.dependants').
import path from 'node:path';
import { appError } from '../../../../shared/errors';
import { mapArchitecture } from '../../oci/platform';
import { readCatalogState } from './catalog';
import { dependantsOf, type Dependant } from './dependants';
import type { CatalogVersionRef } from './removal';

export async function layerDependants(ref: CatalogVersionRef): Promise<Dependant[]> {
  const state = await readCatalogState(ref);
  const os = ref.os ?? 'linux';
  const architecture = mapArchitecture(ref.architecture).architecture;
  const image = state.images.find((i) => i.uid === ref.uid && i.version === ref.version && i.os === os && i.architecture === architecture);
  if (!image) throw appError('not-found', `The catalog has no ${ref.uid} ${ref.version} (${os}/${architecture}).`, { file: path.join(path.resolve(ref.library), ref.uid) });
  return dependantsOf(state.images, state.consumers, image);
}
