// The text `queue status` prints: a progress bar with rate and ETA over everything that has ended
// (done or failed for good), the counts per state, and each failure with its reason.
import { formatProgress } from '../eval/progress.ts';

export interface StatusView {
  name: string;
  pack: string;
  source: string;
  total: number;
  done: number;
  running: number;
  queued: number;
  retrying: number;
  failed: readonly { id: string; reason: string; attempts: number }[];
  startedAt: number | null;
}

export function formatStatus(s: StatusView, now: number): string {
  const ended = s.done + s.failed.length;
  const elapsed = s.startedAt === null ? 0 : now - s.startedAt;
  const lines = [
    `run ${s.name}: ${s.total} photos from ${s.source}, pack ${s.pack}`,
    formatProgress(ended, s.total, elapsed),
    `done ${s.done} · running ${s.running} · queued ${s.queued} · retrying ${s.retrying} · failed ${s.failed.length}`,
  ];
  if (s.failed.length > 0) {
    lines.push('failed:');
    for (const f of s.failed) lines.push(`  ${f.id} (${f.attempts} attempts): ${f.reason}`);
  }
  if (ended === s.total) lines.push('finished');
  return `${lines.join('\n')}\n`;
}
