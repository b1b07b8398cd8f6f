// A pack or plan job's progress in words and a percentage: reading parents and comparing
// have no total to measure against (the bar is indeterminate); packing counts content bytes.
import type { JobProgress } from '../api/jobs';
import { formatSize } from '../common/format';

export function packProgressText(p: JobProgress | null): { label: string; percent: number | null } {
  if (!p) return { label: 'Starting…', percent: null };
  if (p.phase === 'parents') return { label: 'Reading the parents…', percent: null };
  if (p.phase === 'compare') return { label: `Comparing with the parents: ${p.done} entries`, percent: null };
  const percent = p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 100;
  const files = p.filesTotal !== undefined ? `, ${p.filesDone ?? 0} of ${p.filesTotal} files` : '';
  return { label: `Packing: ${formatSize(p.done)} of ${formatSize(p.total)}${files}`, percent };
}
