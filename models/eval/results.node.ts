// Resumable JSONL results log. Each result is one line written with a single append + fsync, so a
// killed run leaves at most one partial last line; opening the log for resume truncates that
// fragment, and the ids of complete lines are skipped, so nothing is redone or duplicated.
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { EvalResult } from './evaluate.ts';

export interface ResultsLog {
  /** Complete results already in the file (resume) — empty for a fresh run. */
  readonly previous: EvalResult[];
  append(result: EvalResult): void;
  close(): void;
}

function parseLine(line: string, path: string, lineNo: number): EvalResult {
  const r = JSON.parse(line) as Partial<EvalResult>;
  if (typeof r.id !== 'string' || typeof r.critique !== 'string' || typeof r.score !== 'number') {
    throw new Error(`${path}:${lineNo}: not a result line`);
  }
  return { id: r.id, image: String(r.image ?? ''), critique: r.critique, score: r.score };
}

/** Reads complete lines; returns them and the byte length of the complete part. */
export function readResults(path: string): { results: EvalResult[]; completeBytes: number } {
  const bytes = readFileSync(path);
  const end = bytes.lastIndexOf(0x0a) + 1; // bytes after the last newline are an interrupted write
  const text = bytes.subarray(0, end).toString('utf8');
  const results = text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => parseLine(l, path, i + 1));
  return { results, completeBytes: end };
}

/**
 * Opens the log. Without `resume` an existing non-empty file is an error (never overwrite results
 * silently); with `resume` its complete lines are kept and a trailing fragment is cut off.
 */
export function openResultsLog(path: string, resume: boolean): ResultsLog {
  let previous: EvalResult[] = [];
  if (existsSync(path)) {
    const { results, completeBytes } = readResults(path);
    if (!resume && readFileSync(path).length > 0) {
      throw new Error(`${path} already exists; pass --resume to continue it or choose another --out`);
    }
    previous = results;
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, completeBytes);
    fsyncSync(fd);
    closeSync(fd);
  }
  const fd = openSync(path, 'a');
  return {
    previous,
    append(result) {
      writeSync(fd, `${JSON.stringify(result)}\n`);
      fsyncSync(fd);
    },
    close() {
      closeSync(fd);
    },
  };
}
