// Measurements for `npm run bench` (scripts/bench.mjs) that run in-process on the app's own
// core, built by esbuild into dist/bench/in-process.js:
//   - keystroke → preview: what the preview panel does after each config edit (parse,
//     validate, build the whole preview with the cached rootfs layer);
//   - the rootfs layer build rate (tar + gzip -6 + two sha256) on a source folder.
import { performance } from 'node:perf_hooks';
import { buildPreview, buildRootfsLayer, type RootfsLayerInfo } from '../core/oci';
import { checkServiceConfig } from '../../shared/service-config';

export interface TimingStats {
  iterations: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

function stats(samples: number[]): TimingStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { iterations: samples.length, medianMs: at(0.5), p95Ms: at(0.95), minMs: sorted[0], maxMs: sorted[sorted.length - 1] };
}

/**
 * Time from a config change to an updated preview. Each iteration edits the text the way a
 * person types (a character appended to a value, alternately added and removed) so no cache
 * can answer, then parses, validates and builds the preview (both generations, runtime specs,
 * trace). The rootfs layer is the panel's cached one, as in the app.
 */
export function benchKeystrokeToPreview(text: string, opts: { iterations?: number; warmup?: number } = {}): TimingStats & { diagnostics: number; traceFields: number } {
  const iterations = opts.iterations ?? 300;
  const warmup = opts.warmup ?? 30;
  const rootfs: RootfsLayerInfo = { digest: `sha256:${'ab'.repeat(32)}`, size: 1234, diffId: `sha256:${'cd'.repeat(32)}` };
  // The edited spot: the end of the first `cmd:` value line (or the end of the text).
  const m = /^( *cmd: .*)$/m.exec(text);
  const cut = m ? m.index + m[0].length : text.length;
  const variant = (i: number) => (i % 2 === 0 ? text : `${text.slice(0, cut)}${'x'}${text.slice(cut)}`);
  let diagnostics = 0;
  let traceFields = 0;
  const once = (i: number) => {
    const { parsed, diagnostics: d } = checkServiceConfig(variant(i));
    const preview = buildPreview(parsed, { rootfs });
    diagnostics = d.length;
    traceFields = Object.keys(preview.trace).length;
  };
  for (let i = 0; i < warmup; i++) once(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    once(i);
    samples.push(performance.now() - t0);
  }
  return { ...stats(samples), diagnostics, traceFields };
}

export interface LayerRate {
  /** File content bytes read from the folder. */
  bytes: number;
  files: number;
  /** Uncompressed tar and compressed layer sizes. */
  tarSize: number;
  size: number;
  seconds: number;
  /** Content MB (10^6 bytes) per second. */
  mbPerSecond: number;
  digest: string;
}

/** Builds the rootfs layer of `srcDir` (nothing written) and reports its rate. */
export async function benchRootfsLayer(srcDir: string): Promise<LayerRate> {
  let bytes = 0;
  const t0 = performance.now();
  const layer = await buildRootfsLayer(srcDir, { onProgress: (p) => (bytes = p.bytes) });
  const seconds = (performance.now() - t0) / 1000;
  return { bytes, files: layer.files, tarSize: layer.tarSize, size: layer.size, seconds, mbPerSecond: bytes / 1e6 / seconds, digest: layer.digest };
}
export { makeListingTree, benchSourceListing } from './listing-bench';
