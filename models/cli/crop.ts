// `aeslens crop <photo> --out <dir>`: the crops of a photo that score best with the aesthetic model,
// written at full resolution as PNG files.
import { mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PackSourceError } from '../critic/packSource.node.ts';
import { suggestPhotoCrops, writeCropPng } from '../crops/photo.node.ts';
import { cropsThatGain, describeBestCrop } from '../crops/search.ts';
import { PACK_GROUPS } from '../packs/registry.ts';
import { openPhoto, PhotoReadError, rgbaPixels } from './photo.ts';
import { loadScorers, UnknownPackError } from './scorers.ts';

export const USAGE = `Usage: aeslens crop <photo> --out <dir> [--top <n>] [--pack <iasm id|group>] [--json]
  Suggests crops (aspect ratios original, 3:2, 2:3, 4:5, 5:4, 1:1, 16:9, a few sizes each, placed by
  the saliency map), scores each with the pack's aesthetic model and writes the best as PNG files at
  full resolution: <dir>/<photo>.crop<rank>-<aspect>.png.
  --top    how many crops to write (default 3). Only crops that beat the full frame by more than the
           model's noise are written; when none does, nothing is written and it says so.
  --pack   a group (${Object.keys(PACK_GROUPS).join(', ')}) or an IASM pack id. Default: default.
  --json   one JSON object: {file, width, height, fullFrame, noise, written: [{file, x, y, width, height, aspect, score}]}.
  How candidates are placed and what the noise is: models/crops/README.md.
`;

class UsageError extends Error {}

export async function run(args: string[]): Promise<number> {
  try {
    return await crop(args);
  } catch (err) {
    if (err instanceof PhotoReadError) {
      process.stderr.write(`aeslens crop: ${err.message}\n`);
      return 1;
    }
    if (!(err instanceof UsageError || err instanceof PackSourceError || err instanceof UnknownPackError)) throw err;
    process.stderr.write(`aeslens crop: ${err.message}\n\n${USAGE}`);
    return 2;
  }
}

async function crop(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      top: { type: 'string', default: '3' },
      pack: { type: 'string', default: 'default' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('give one photo');
  if (!values.out) throw new UsageError('--out is required');
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top takes a whole number ≥ 1 (got "${values.top}")`);
  const file = positionals[0]!;
  const open = await openPhoto(file);
  const scorers = await loadScorers(values.pack);
  try {
    const scored = await scorers.iasm.run(await rgbaPixels(open.photo, scorers.iasm.input));
    const pixels = await rgbaPixels(open.photo);
    const suggestions = await suggestPhotoCrops(
      pixels,
      { data: scored.saliency, width: scored.width, height: scored.height },
      scorers.score,
    );
    await mkdir(values.out, { recursive: true });
    const stem = basename(file, extname(file));
    const written = [];
    for (const [i, c] of cropsThatGain(suggestions).slice(0, top).entries()) {
      const path = join(values.out, `${stem}.crop${i + 1}-${c.aspect.replace(':', 'x')}.png`);
      await writeCropPng(pixels, c, path);
      written.push({ file: path, x: c.x, y: c.y, width: c.width, height: c.height, aspect: c.aspect, score: c.score });
    }
    const { fullFrame, noise } = suggestions;
    if (values.json)
      process.stdout.write(
        `${JSON.stringify({ file, width: open.width, height: open.height, fullFrame, noise, written })}\n`,
      );
    else {
      process.stdout.write(`${file}  ${open.width}×${open.height}  ${describeBestCrop(suggestions, 3)}\n`);
      for (const w of written)
        process.stdout.write(
          `  ${w.file}  ${w.aspect} ${w.width}×${w.height} at ${w.x}, ${w.y}  ${w.score.toFixed(3)}\n`,
        );
    }
    return 0;
  } finally {
    await scorers.dispose();
  }
}
