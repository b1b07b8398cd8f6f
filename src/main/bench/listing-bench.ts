// How long opening a service takes to list its rootfs: issue 2 asks for 100 000 files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listSourceFolder } from '../core/service-tree/src-listing';

/** Makes `files` small files in folders of 1 000, as a large rootfs spreads them. */
export function makeListingTree(dir: string, files: number): void {
  for (let i = 0; i < files; i++) {
    const folder = join(dir, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${String(i % 1000).padStart(4, '0')}.txt`), 'x');
  }
}

/** Lists `dir` `rounds` times; returns each run's milliseconds and the entry count. */
export async function benchSourceListing(dir: string, rounds = 3): Promise<{ entries: number; runsMs: number[] }> {
  const runsMs: number[] = [];
  let entries = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const listing = await listSourceFolder(dir);
    runsMs.push(performance.now() - t0);
    entries = listing.total;
  }
  return { entries, runsMs };
}
