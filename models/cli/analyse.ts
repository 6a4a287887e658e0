// `aeslens analyse <photo…>`: score (IASM) and measured attributes of each photo, no critic — the fast
// culling command. Prints {file, width, height, score, attributes} per photo.
import { parseArgs } from 'node:util';
import type { Attributes } from '../attributes/index.ts';
import { measureAttributes } from '../attributes/index.ts';
import { PackSourceError } from '../critic/packSource.node.ts';
import { suggestPhotoCrops } from '../crops/photo.node.ts';
import type { CropAspect } from '../crops/candidates.ts';
import { describeBestCrop } from '../crops/search.ts';
import { PACK_GROUPS } from '../packs/registry.ts';
import { loadScorers, UnknownPackError, type Scorers } from './scorers.ts';
import { openPhoto, PhotoReadError, rgbaPixels } from './photo.ts';

export const USAGE = `Usage: aeslens analyse <photo…> [--pack <iasm id|group|none>] [--json]
  Score and measured attributes (exposure, colour, focus, composition) of each photo; no critique.
  --pack   the IASM pack for the score and saliency: a group (${Object.keys(PACK_GROUPS).join(', ')}),
           an IASM pack id, or none (attributes that need saliency are then null). Default: default.
  --json   one JSON object per photo per line: {file, width, height, score, attributes, crops, cropNoise}.
  crops: suggested crops [{x, y, width, height, aspect, score}] in pixels of the oriented photo, best
  first, the full frame among them as aspect "original" at 0, 0; cropNoise: how much the score moves
  for crops indistinguishable from the full frame (a crop gains only above it). Empty with --pack none.
  Definitions of the attributes: models/attributes/README.md; of the crops: models/crops/README.md.
`;

class UsageError extends Error {}

export interface AnalyseReport {
  file: string;
  width: number;
  height: number;
  score: number | null;
  attributes: Attributes;
  crops: { x: number; y: number; width: number; height: number; aspect: CropAspect; score: number }[];
  cropNoise: number | null;
}

export async function run(args: string[]): Promise<number> {
  try {
    return await analyse(args);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof PackSourceError || err instanceof UnknownPackError)) throw err;
    process.stderr.write(`aeslens analyse: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

async function analyse(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { pack: { type: 'string', default: 'default' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new UsageError('give at least one photo');
  const runner = values.pack === 'none' ? null : await loadScorers(values.pack);
  let failed = 0;
  try {
    for (const file of positionals) {
      let report: AnalyseReport;
      try {
        report = await analyseOne(file, runner);
      } catch (err) {
        if (!(err instanceof PhotoReadError)) throw err;
        failed++;
        process.stderr.write(`aeslens analyse: ${err.message}\n`);
        continue;
      }
      process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : summary(report));
    }
  } finally {
    await runner?.dispose();
  }
  return failed > 0 ? 1 : 0;
}

async function analyseOne(file: string, runner: Scorers | null): Promise<AnalyseReport> {
  const open = await openPhoto(file);
  // Decoded once at full size: scored, measured, and cropped for the crop suggestions.
  const pixels = await rgbaPixels(open.photo);
  const scored = runner ? await runner.iasm.analyse(pixels) : null;
  const saliency = scored ? { data: scored.saliency, width: scored.width, height: scored.height } : null;
  const attributes = measureAttributes(pixels, saliency);
  const crops = runner && saliency ? await suggestPhotoCrops(pixels, saliency, runner.score) : null;
  return {
    file,
    width: open.width,
    height: open.height,
    score: scored?.score ?? null,
    attributes,
    crops: (crops?.crops ?? []).map(({ x, y, width, height, aspect, score }) => ({
      x,
      y,
      width,
      height,
      aspect,
      score,
    })),
    cropNoise: crops?.noise ?? null,
  };
}

function bestCropLine(r: AnalyseReport): string {
  const fullFrame = r.crops.find((c) => c.x === 0 && c.y === 0 && c.width === r.width && c.height === r.height);
  return describeBestCrop({ crops: r.crops, fullFrame: fullFrame?.score ?? r.score ?? 0, noise: r.cropNoise ?? 0 }, 3);
}

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
const num = (v: number | null, digits = 1): string => (v === null ? '–' : v.toFixed(digits));

function summary(r: AnalyseReport): string {
  const { exposure: e, colour: c, focus: f, composition: k } = r.attributes;
  const ratio =
    f.subjectSharpness !== null && f.backgroundSharpness ? num(f.subjectSharpness / f.backgroundSharpness, 2) : '–';
  return [
    `${r.file}  ${r.width}×${r.height}${r.score === null ? '' : `  score ${r.score.toFixed(3)}`}`,
    `  exposure     mean luma ${num(e.meanLuma, 3)}, contrast ${num(e.contrast, 3)}, highlights clipped ${pct(e.clippedHighlights)}, shadows clipped ${pct(e.clippedShadows)}`,
    `  colour       colourfulness ${num(c.colourfulness)}, palette ${c.palette.map((p) => `${p.hex} ${pct(p.share)}`).join(', ')}`,
    `  focus        Laplacian variance ${num(f.overall)}, subject ${num(f.subjectSharpness)} / background ${num(f.backgroundSharpness)} (×${ratio}), noise σ ${num(f.noise, 2)}`,
    `  composition  centroid ${k.saliencyCentroid ? k.saliencyCentroid.map((v) => v.toFixed(2)).join(', ') : '–'}, thirds distance ${num(k.thirdsDistance, 3)}, subject ${k.subjectSize === null ? '–' : pct(k.subjectSize)}, horizon ${k.horizonTilt === null ? 'none' : `${k.horizonTilt.toFixed(1)}°`}, symmetry ${num(k.symmetry, 2)}`,
    ...(r.crops.length && r.cropNoise !== null ? [`  crop         ${bestCropLine(r)}`] : []),
    '',
  ].join('\n');
}
