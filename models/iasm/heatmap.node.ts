// The heatmap PNG `aeslens critique` and the queue workers write: the photo with its IASM saliency
// laid over it, more salient = more strongly tinted, longest edge at most 1024 px.
import sharp, { type Sharp } from 'sharp';

export interface SaliencyMap {
  data: Float32Array;
  width: number;
  height: number;
}

/** Blue → yellow → red heat ramp for t in [0, 1]. */
function heat(t: number): [number, number, number] {
  return t < 0.5 ? [510 * t, 510 * t, 255 * (1 - 2 * t)] : [255, 255 * (2 - 2 * t), 0];
}

/** `photo` is the auto-oriented photo, `width` × `height` its oriented size. */
export async function writeHeatmap(path: string, photo: Sharp, saliency: SaliencyMap, width: number, height: number) {
  const scale = Math.min(1, 1024 / Math.max(width, height));
  const [w, h] = [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  const base = await photo.clone().resize(w, h, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const grey = Uint8Array.from(saliency.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  const map = await sharp(grey, { raw: { width: saliency.width, height: saliency.height, channels: 1 } })
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const out = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const t = map[i]! / 255;
    const alpha = 0.65 * t;
    const color = heat(t);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(base[i * 3 + c]! * (1 - alpha) + color[c]! * alpha);
  }
  await sharp(out, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(path);
}
