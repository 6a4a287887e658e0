// Where the photo clips, at the working size: the map the studio paints over the photo (as
// Lightroom's J key does). A working pixel is marked when any of its source pixels clips.
import { HIGHLIGHT_CLIP, SHADOW_CLIP, workingSize } from './scan.ts';
import type { RgbaPixels } from './types.ts';

export const CLIP_HIGHLIGHT = 1;
export const CLIP_SHADOW = 2;

export interface ClipMask {
  /** Per working pixel: CLIP_HIGHLIGHT | CLIP_SHADOW flags. */
  data: Uint8Array;
  width: number;
  height: number;
}

/** Source pixel (x, y) belongs to working pixel (⌊x·W′/W⌋, ⌊y·H′/H⌋); enlarged photos map back the same way. */
export function clippingMask(image: RgbaPixels): ClipMask {
  const { data, width: W, height: H } = image;
  const { width: TW, height: TH } = workingSize(W, H);
  const mask = new Uint8Array(TW * TH);
  if (TW <= W) {
    const colBin = Int32Array.from({ length: W }, (_, x) => Math.floor((x * TW) / W));
    for (let y = 0, i = 0; y < H; y++) {
      const row = Math.floor((y * TH) / H) * TW;
      for (let x = 0; x < W; x++, i += 4) {
        const flag = flagOf(data[i]!, data[i + 1]!, data[i + 2]!);
        if (flag) mask[row + colBin[x]!]! |= flag;
      }
    }
  } else {
    for (let ty = 0; ty < TH; ty++)
      for (let tx = 0; tx < TW; tx++) {
        const i = (Math.floor((ty * H) / TH) * W + Math.floor((tx * W) / TW)) * 4;
        mask[ty * TW + tx] = flagOf(data[i]!, data[i + 1]!, data[i + 2]!);
      }
  }
  return { data: mask, width: TW, height: TH };
}

function flagOf(r: number, g: number, b: number): number {
  if (r >= HIGHLIGHT_CLIP || g >= HIGHLIGHT_CLIP || b >= HIGHLIGHT_CLIP) return CLIP_HIGHLIGHT;
  return r <= SHADOW_CLIP && g <= SHADOW_CLIP && b <= SHADOW_CLIP ? CLIP_SHADOW : 0;
}
