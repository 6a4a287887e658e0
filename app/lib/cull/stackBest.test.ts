import { describe, expect, it } from 'vitest';
import { measureAttributes } from '../../../models/attributes/index.ts';
import { boxBlur, paint } from '../../../models/attributes/testing/synthetic.ts';
import { mulberry32 } from '../../../models/random/mulberry32.ts';
import { pickBest } from './stackBest.ts';

// A textured subject (a disc of random grey) on a smooth sky, and the saliency map on the disc.
const W = 160;
const H = 120;
const inDisc = (x: number, y: number): boolean => (x - 80) ** 2 + (y - 60) ** 2 < 30 ** 2;
const texture = (() => {
  const random = mulberry32(3);
  return Array.from({ length: W * H }, () => 60 + Math.floor(random() * 140));
})();
const base = paint(W, H, (x, y) => {
  const v = inDisc(x, y) ? texture[y * W + x]! : 110 + Math.round((y / H) * 80);
  return [v, v, v];
});
const saliency = {
  width: 40,
  height: 30,
  data: Float32Array.from({ length: 40 * 30 }, (_, i) =>
    inDisc((i % 40) * 4 + 2, Math.floor(i / 40) * 4 + 2) ? 1 : 0,
  ),
};
const measured = (image: typeof base) => measureAttributes(image, saliency);
const blurred = boxBlur(base, 3, inDisc);
// The top quarter of the sky blown out to white.
const blown = paint(W, H, (x, y) => {
  const i = (y * W + x) * 4;
  const v = y < H / 4 && !inDisc(x, y) ? 255 : base.data[i]!;
  return [v, v, v];
});

describe('pickBest', () => {
  it('names a sharper subject against a blurred frame of the burst, and nothing it does not do better', () => {
    const pick = pickBest([
      { id: 'soft', score: 5.5, attributes: measured(blurred) },
      { id: 'sharp', score: 6, attributes: measured(base) },
    ]);
    expect(pick.best).toBe('sharp');
    expect(pick.reason).toMatch(/sharper subject/);
    expect(pick.reason).not.toMatch(/clipped|noise|horizon/);
  });

  it('names fewer clipped highlights against a frame with a blown sky', () => {
    const pick = pickBest([
      { id: 'blown', score: 5.8, attributes: measured(blown) },
      { id: 'kept', score: 6, attributes: measured(base) },
    ]);
    expect(pick.best).toBe('kept');
    expect(pick.reason).toMatch(/fewer clipped highlights/);
    expect(pick.reason).not.toMatch(/sharper/);
  });

  it('falls back on the score when the best does nothing measurably better', () => {
    const pick = pickBest([
      { id: 'kept', score: 6, attributes: measured(base) },
      { id: 'blown', score: 6.4, attributes: measured(blown) },
    ]);
    expect(pick).toEqual({ best: 'blown', reason: 'higher score (6.40 vs 6.00), otherwise alike' });
    expect(pickBest([{ id: 'a', score: 5 }, { id: 'b' }])).toEqual({ best: 'a', reason: 'not analysed yet' });
    expect(
      pickBest([
        { id: 'a', score: 5 },
        { id: 'b', score: 4 },
      ]).reason,
    ).toBe('higher score (5.00 vs 4.00)');
  });
});
