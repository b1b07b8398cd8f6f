// The layer images of the app's layer library (settings.layerLibrary), for the range pickers'
// catalog view: main's 'layers.catalog' (file names only, nothing hashed), read once per
// library for all pickers on screen and again when the library setting changes.
import { useEffect, useState } from 'react';
import type { CatalogVersion } from '../../shared/config-common';
import { useApi, type ApiClient } from '../api/context';
import { errorOf } from '../api/errors';
import { runJob } from '../api/jobs';
import { useSettings } from '../app/settings';

export type CatalogVersions = { status: 'none' } | { status: 'loading'; library: string } | { status: 'ready'; library: string; versions: CatalogVersion[] } | { status: 'failed'; library: string; message: string };

const loads = new Map<string, Promise<CatalogVersion[]>>();

function load(client: Pick<ApiClient, 'call' | 'on'>, library: string): Promise<CatalogVersion[]> {
  let p = loads.get(library);
  if (!p) {
    p = runJob(client, 'layers.catalog', { library }).then((c) => c.layers.flatMap((l) => l.versions.map((v) => ({ uid: v.uid, version: v.version, architecture: v.architecture, os: v.os }))));
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
      (versions) => live && setState({ status: 'ready', library, versions }),
      (err: unknown) => live && setState({ status: 'failed', library, message: errorOf(err).message }),
    );
    return () => {
      live = false;
    };
  }, [client, library]);
  return state;
}
