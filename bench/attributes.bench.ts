// Cost of the measured attributes on the 18 MP photo, against the cost of decoding it (sharp, as the
// CLI reads photos): the full-resolution statistics should cost at most half a decode. Decodes and
// measurements alternate, so load on the machine hits both alike.
import { readRgba } from '../models/common/readRgba.node.ts';
import { attributesOf, scanPhoto } from '../models/attributes/index.ts';
import type { RgbaPixels } from '../models/attributes/types.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';

const PHOTO = '../shared/photos/large/Elephants_5640x3172.jpg';
const RUNS = 5;

const decode = (): Promise<RgbaPixels> => readRgba(PHOTO);

export default async function (): Promise<BenchResult[]> {
  const saliency = {
    data: new Float32Array(224 * 224).fill(0.3).fill(0.8, 224 * 80, 224 * 150),
    width: 224,
    height: 224,
  };
  const decodes: number[] = [];
  const scans: number[] = [];
  const derived: number[] = [];
  let image = await decode();
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    image = await decode();
    decodes.push(performance.now() - t);
    t = performance.now();
    const scan = scanPhoto(image);
    scans.push(performance.now() - t);
    t = performance.now();
    attributesOf(scan, saliency);
    derived.push(performance.now() - t);
  }
  const [d, s, a] = [median(decodes), median(scans), median(derived)];
  const size = `${image.width}×${image.height}`;
  return [
    {
      name: 'full-resolution statistics / decode, 18 MP JPEG',
      value: s / d,
      unit: '×',
      note: `median of ${RUNS}: ${s.toFixed(0)} ms vs sharp decode ${d.toFixed(0)} ms (${size}); goal ≤ 0.5×`,
    },
    {
      name: 'all attributes (statistics + working-plane focus, palette, horizon) / decode',
      value: (s + a) / d,
      unit: '×',
      note: `derived measurements ${a.toFixed(0)} ms on the 1024-px plane`,
    },
  ];
}
