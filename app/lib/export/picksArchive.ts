// The zip of the picks' reports: for each picked photo its JSON and Markdown report and its XMP
// sidecar, all named after the photo (`IMG_1.xmp`, `IMG_1-report.json`, `IMG_1-report.md`).
import { strToU8, zipSync } from 'fflate';
import type { Cull } from '../cull/types.ts';
import type { ReportInput } from './report.ts';
import { buildJsonReport, buildMarkdownReport } from './report.ts';
import { sidecarNames, xmpSidecar } from './xmp.ts';

export interface PickedPhoto {
  fileName: string;
  cull: Cull;
  report: ReportInput;
}

/** The archive's file names and texts, in the photos' order (names unique as the sidecars' are). */
export function picksArchiveFiles(picks: readonly PickedPhoto[]): [name: string, text: string][] {
  const sidecars = sidecarNames(picks.map((p) => p.fileName));
  return picks.flatMap((p, i) => {
    const sidecar = sidecars[i]!;
    const base = sidecar.replace(/\.xmp$/, '');
    return [
      [`${base}-report.json`, `${JSON.stringify(buildJsonReport(p.report), null, 2)}\n`],
      [`${base}-report.md`, buildMarkdownReport(p.report)],
      [sidecar, xmpSidecar(p.cull)],
    ] as [string, string][];
  });
}

export function picksArchive(picks: readonly PickedPhoto[]): ReturnType<typeof zipSync> {
  return zipSync(Object.fromEntries(picksArchiveFiles(picks).map(([name, text]) => [name, strToU8(text)])));
}
