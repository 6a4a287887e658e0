// Plain float64 reference of CLIP's preprocessing (CLIPImageProcessor with the repos'
// preprocessor_config.json; OpenAI's `Resize(224, BICUBIC)` + `CenterCrop(224)` transform): the
// shortest side to `side` with Pillow's antialiased bicubic, the centred crop, rescale 1/255,
// normalise. Written directly (each output pixel a 2-D weighted sum, no 8-bit rounding between
// passes), sharing no code with models/iasm.

/** Pillow's BICUBIC kernel (a = −0.5). */
function kernel(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return 1.5 * t ** 3 - 2.5 * t ** 2 + 1;
  if (t < 2) return -0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2;
  return 0;
}

/** Normalised weights of one output coordinate: [first input index, weights]. */
function weightsAt(out: number, inSize: number, outSize: number): [number, number[]] {
  const scale = inSize / outSize;
  const stretch = Math.max(1, scale);
  const centre = (out + 0.5) * scale;
  const first = Math.max(0, Math.trunc(centre - 2 * stretch + 0.5));
  const end = Math.min(inSize, Math.trunc(centre + 2 * stretch + 0.5));
  const raw: number[] = [];
  for (let i = first; i < end; i++) raw.push(kernel((i + 0.5 - centre) / stretch));
  const total = raw.reduce((a, b) => a + b, 0);
  return [first, raw.map((v) => v / total)];
}

/** NCHW float64 [1, 3, side, side] of the centre crop of an RGBA photo. */
export function clipPreprocessReference(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  side: number,
  mean: readonly number[],
  std: readonly number[],
): Float64Array {
  const landscape = width >= height;
  const outW = landscape ? Math.trunc((side * width) / height) : side;
  const outH = landscape ? side : Math.trunc((side * height) / width);
  const left = Math.floor((outW - side) / 2);
  const top = Math.floor((outH - side) / 2);
  const out = new Float64Array(3 * side * side);
  for (let y = 0; y < side; y++) {
    const [y0, wy] = weightsAt(top + y, height, outH);
    for (let x = 0; x < side; x++) {
      const [x0, wx] = weightsAt(left + x, width, outW);
      for (let c = 0; c < 3; c++) {
        let v = 0;
        for (let j = 0; j < wy.length; j++)
          for (let i = 0; i < wx.length; i++) v += wy[j]! * wx[i]! * rgba[((y0 + j) * width + x0 + i) * 4 + c]!;
        v = Math.min(255, Math.max(0, v));
        out[c * side * side + y * side + x] = (v / 255 - mean[c]!) / std[c]!;
      }
    }
  }
  return out;
}
