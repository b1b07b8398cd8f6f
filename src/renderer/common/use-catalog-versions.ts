// The layer images of the app's layer library (settings.layerLibrary), for the range pickers'
// catalog view: main's 'layers.catalog' (file names only, nothing hashed), read once per
// library for all pickers on screen and again when the library setting changes. With the
// versions comes main's codename index: a bundle's layer dependency names a codename, not a uid.
import { useEffect, useState } from 'react';
import type { CatalogVersion } from '../../shared/config-common';
import { useApi, type ApiClient } from '../api/context';
import { errorOf } from '../api/errors';
import { runJob } from '../api/jobs';
import { useSettings } from '../app/settings';

/** codename → catalog uids (the layer bundles main knows link the two); a codename missing here names no catalog layer. */
export type CodenameIndex = Record<string, string[]>;

export type CatalogVersions =
  | { status: 'none' }
  | { status: 'loading'; library: string }
  | { status: 'ready'; library: string; versions: CatalogVersion[]; codenames: CodenameIndex }
  | { status: 'failed'; library: string; message: string };

interface Loaded {
  versions: CatalogVersion[];
  codenames: CodenameIndex;
}

const loads = new Map<string, Promise<Loaded>>();

function load(client: Pick<ApiClient, 'call' | 'on'>, library: string): Promise<Loaded> {
  let p = loads.get(library);
  if (!p) {
    p = runJob(client, 'layers.catalog', { library }).then((c) => ({
      versions: c.layers.flatMap((l) => l.versions.map((v) => ({ uid: v.uid, version: v.version, architecture: v.architecture, os: v.os }))),
      // An older main sends no index: every folder then goes by its own name.
      codenames: c.codenames ?? Object.fromEntries(c.layers.map((l) => [l.uid, [l.uid]])),
    }));
    // A failure is not remembered: the next picker asks again.
    p.catch(() => loads.delete(library));
    loads.set(library, p);
  }
  return p;
}

/** Forgets what was read (a test, or the library changed on disk through the app). */
export function forgetCatalogVersions(): void {
  loads.clear();
}

export function useCatalogVersions(): CatalogVersions {
  const client = useApi();
  const { settings } = useSettings();
  const library = settings.layerLibrary.trim();
  const [state, setState] = useState<CatalogVersions>(library ? { status: 'loading', library } : { status: 'none' });
  useEffect(() => {
    if (!library) {
      setState({ status: 'none' });
      return;
    }
    let live = true;
    setState({ status: 'loading', library });
    load(client, library).then(
      ({ versions, codenames }) => live && setState({ status: 'ready', library, versions, codenames }),
      (err: unknown) => live && setState({ status: 'failed', library, message: errorOf(err).message }),
    );
    return () => {
      live = false;
    };
  }, [client, library]);
  return state;
}
