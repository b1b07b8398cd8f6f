// The live preview: 'preview.build' with the editor's current text on every change
// (debounced, stale answers dropped), and the rootfs layer's digests as a background job
// that runs when the panel opens, when src/ changes and on demand. A layer library folder
// (remembered in main's settings) is scanned as a job when chosen, when the panel opens and on
// Rescan; every build then names it so main resolves configuration.layers against it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ExportResultView, LayerLibraryScanView, OciPreviewView, RootfsLayerView, SrcListing } from '../../shared/contract';
import { useApi } from '../api/context';
import { useSettings } from '../app/settings';
import { errorOf } from '../api/errors';
import { runJob, type JobProgress } from '../api/jobs';
import { cleanOverrides, type NodeOverrides } from './node-defaults';

/** A pause in typing before a request; short enough for an answer on screen within 100 ms. */
export const PREVIEW_DEBOUNCE_MS = 10;

export type RootfsState =
  | { status: 'running'; progress: JobProgress | null }
  | { status: 'done'; layer: RootfsLayerView }
  | { status: 'error'; message: string };

export type LibraryState =
  | { status: 'none' }
  | { status: 'running'; progress: JobProgress | null }
  | { status: 'done'; scan: LayerLibraryScanView }
  | { status: 'error'; message: string };

export type ExportResult = ExportResultView;

interface Options {
  root: string;
  text: string;
  /** A new listing (files added, folders made) recomputes the rootfs layer. */
  listing: SrcListing;
}

export function usePreview({ root, text, listing }: Options) {
  const client = useApi();
  const { call } = client;
  const [preview, setPreview] = useState<OciPreviewView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [node, setNode] = useState<NodeOverrides>({});
  const [rootfs, setRootfs] = useState<RootfsState>({ status: 'running', progress: null });
  const [rootfsTick, setRootfsTick] = useState(0);
  const [buildTick, setBuildTick] = useState(0);
  /** Time from the change to the rendered answer, in ms (the last one). */
  const [latencyMs, setLatencyMs] = useState<number | null>(null);
  // One layer library for every service, kept in main's settings.
  const { settings, update: updateSettings } = useSettings();
  const layerLibrary = settings.layerLibrary;
  const [library, setLibrary] = useState<LibraryState>({ status: 'none' });
  const [libraryTick, setLibraryTick] = useState(0);
  const seq = useRef(0);
  const answeredChangeAt = useRef<number | null>(null);

  const nodeInput = useMemo(() => cleanOverrides(node), [node]);
  const nodeKey = JSON.stringify(nodeInput);

  // Every change is sent after a short pause in typing; only the newest request's answer
  // is shown (an older one arriving late is dropped).
  useEffect(() => {
    const id = ++seq.current;
    const changedAt = performance.now();
    setPending(true);
    const timer = setTimeout(() => {
      const input = {
        root,
        text,
        ...(Object.keys(nodeInput).length ? { node: nodeInput } : {}),
        ...(layerLibrary ? { layerLibrary } : {}),
      };
      call('preview.build', input).then(
        (value) => {
          if (id !== seq.current) return; // a newer change is on its way
          answeredChangeAt.current = changedAt;
          setPreview(value);
          setError(null);
          setPending(false);
        },
        (err: unknown) => {
          if (id !== seq.current) return;
          setError(errorOf(err).message);
          setPending(false);
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // nodeKey stands for nodeInput's content.
  }, [call, root, text, nodeKey, buildTick, layerLibrary]); // eslint-disable-line react-hooks/exhaustive-deps

  // Runs after the answer is on screen.
  useEffect(() => {
    if (answeredChangeAt.current === null) return;
    setLatencyMs(Math.round(performance.now() - answeredChangeAt.current));
    answeredChangeAt.current = null;
  }, [preview]);

  useEffect(() => {
    setRootfs({ status: 'running', progress: null });
    const stop = new AbortController();
    runJob(client, 'preview.rootfs', { root }, { signal: stop.signal, onProgress: (progress) => setRootfs({ status: 'running', progress }) }).then(
      (layer) => {
        setRootfs({ status: 'done', layer });
        // Main keeps the layer for the next previews: show it with its digest now.
        setBuildTick((t) => t + 1);
      },
      (err: unknown) => {
        if (!stop.signal.aborted) setRootfs({ status: 'error', message: errorOf(err).message });
      },
    );
    return () => stop.abort();
  }, [client, root, listing, rootfsTick]);

  const refreshRootfs = useCallback(() => setRootfsTick((t) => t + 1), []);

  // The layer library is scanned in main (digests cached per file there, so a rescan of an
  // unchanged folder is quick); builds only name it.
  useEffect(() => {
    if (!layerLibrary) {
      setLibrary({ status: 'none' });
      return;
    }
    setLibrary({ status: 'running', progress: null });
    const stop = new AbortController();
    runJob(client, 'layers.scan', { dir: layerLibrary }, { signal: stop.signal, onProgress: (progress) => setLibrary({ status: 'running', progress }) }).then(
      (scan) => {
        setLibrary({ status: 'done', scan });
        setBuildTick((t) => t + 1);
      },
      (err: unknown) => {
        if (!stop.signal.aborted) setLibrary({ status: 'error', message: errorOf(err).message });
      },
    );
    return () => stop.abort();
  }, [client, layerLibrary, libraryTick]);

  const setLayerLibrary = useCallback((dir: string) => updateSettings({ layerLibrary: dir.trim() }), [updateSettings]);
  const rescanLibrary = useCallback(() => setLibraryTick((t) => t + 1), []);

  // The export takes the same inputs as the preview shown (node parameters, layer library), so
  // main resolves the same layers and writes their blobs, exactly as `aos-bundle preview --out`.
  const exportTo = useCallback(
    (target: 'v8' | 'v9', outDir: string) =>
      runJob(client, 'preview.export', {
        root,
        target,
        outDir,
        ...(Object.keys(nodeInput).length ? { node: nodeInput } : {}),
        ...(layerLibrary ? { layerLibrary } : {}),
      }),
    [client, root, nodeInput, layerLibrary],
  );

  return { preview, error, pending, node, setNode, nodeInput, rootfs, refreshRootfs, exportTo, latencyMs, layerLibrary, setLayerLibrary, library, rescanLibrary };
}

export type PreviewModel = ReturnType<typeof usePreview>;
