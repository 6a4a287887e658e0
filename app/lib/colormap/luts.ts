// Colormap look-up tables for the saliency overlay. Each map is a 256-entry RGBA table that the
// WebGL renderer uploads as a 256×1 texture and the 2D fallback indexes directly. Only
// perceptually ordered maps are offered (no Jet: its bright bands read as edges that are not there).

export const COLORMAPS = ['turbo', 'inferno', 'grey'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

export const COLORMAP_LABELS: Record<ColormapName, string> = {
  turbo: 'Turbo',
  inferno: 'Inferno',
  grey: 'Grey',
};

type Rgb = [number, number, number];

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * Turbo (Mikhailov 2019): every 8th entry of Google's published 256-entry table (Apache-2.0),
 * plus the last. Cubic Hermite interpolation between them reproduces the full table within
 * 1/255 (the Du polynomial fit is off by up to 0.12 near the ends, so it is not used).
 */
const TURBO_KNOTS: readonly Rgb[] = [
  [0.18995, 0.07176, 0.23217],
  [0.225, 0.16354, 0.45096],
  [0.25107, 0.25237, 0.63374],
  [0.26816, 0.33825, 0.7805],
  [0.27628, 0.42118, 0.89123],
  [0.27543, 0.50115, 0.96594],
  [0.25862, 0.57958, 0.99876],
  [0.21382, 0.65886, 0.97959],
  [0.15844, 0.73551, 0.92305],
  [0.11167, 0.80569, 0.84525],
  [0.09267, 0.86554, 0.7623],
  [0.12014, 0.91193, 0.6866],
  [0.19659, 0.94901, 0.59466],
  [0.30513, 0.97697, 0.48987],
  [0.42778, 0.99419, 0.38575],
  [0.54658, 0.99907, 0.29581],
  [0.64362, 0.98999, 0.23356],
  [0.72596, 0.9647, 0.2064],
  [0.80473, 0.92452, 0.20459],
  [0.8753, 0.87267, 0.21555],
  [0.93301, 0.81236, 0.22667],
  [0.97323, 0.74682, 0.22536],
  [0.99314, 0.67408, 0.20348],
  [0.99593, 0.58703, 0.16899],
  [0.9836, 0.49291, 0.12849],
  [0.95801, 0.39958, 0.08831],
  [0.92105, 0.31489, 0.05475],
  [0.87422, 0.24526, 0.03297],
  [0.81608, 0.18462, 0.01809],
  [0.74617, 0.13098, 0.00851],
  [0.66449, 0.08436, 0.00424],
  [0.57103, 0.04474, 0.00529],
  [0.4796, 0.01583, 0.01055],
];
const TURBO_KNOT_INDEX: readonly number[] = TURBO_KNOTS.map((_, k) => Math.min(k * 8, 255));

function turbo(x: number): Rgb {
  const i = clamp01(x) * 255;
  let k = Math.min(Math.floor(i / 8), TURBO_KNOTS.length - 2);
  if (i > TURBO_KNOT_INDEX[k + 1]!) k += 1;
  const x0 = TURBO_KNOT_INDEX[k]!;
  const x1 = TURBO_KNOT_INDEX[k + 1]!;
  const h = x1 - x0;
  const s = (i - x0) / h;
  const h00 = 2 * s ** 3 - 3 * s ** 2 + 1;
  const h10 = s ** 3 - 2 * s ** 2 + s;
  const h01 = -2 * s ** 3 + 3 * s ** 2;
  const h11 = s ** 3 - s ** 2;
  const out: Rgb = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    out[c] = h00 * knot(k)[c]! + h10 * h * slope(k, c) + h01 * knot(k + 1)[c]! + h11 * h * slope(k + 1, c);
  }
  return out;
}

const knot = (k: number): Rgb => TURBO_KNOTS[k]!;

/** Finite-difference tangent at knot k (one-sided at the ends), per table index. */
function slope(k: number, c: number): number {
  const lo = Math.max(0, k - 1);
  const hi = Math.min(TURBO_KNOTS.length - 1, k + 1);
  return (knot(hi)[c]! - knot(lo)[c]!) / (TURBO_KNOT_INDEX[hi]! - TURBO_KNOT_INDEX[lo]!);
}

/** Inferno (matplotlib), degree-6 minimax polynomial fit by mattz (CC0). */
const INFERNO_COEFFS: Rgb[] = [
  [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
  [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
  [11.60249308247187, -3.972853965665698, -15.9423941062914],
  [-41.70399613139459, 17.43639888205313, 44.35414519872813],
  [77.162935699427, -33.40235894210092, -81.80730925738993],
  [-71.31942824499214, 32.62606426397723, 73.20951985803202],
  [25.13112622477341, -12.24266895238567, -23.07032500287172],
];

function inferno(x: number): Rgb {
  const t = clamp01(x);
  const out: Rgb = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    // Horner from the highest coefficient down.
    let v = 0;
    for (let k = INFERNO_COEFFS.length - 1; k >= 0; k--) v = v * t + (INFERNO_COEFFS[k] as Rgb)[c]!;
    out[c] = v;
  }
  return out;
}

/** Dark where salient: the overlay leaves low saliency as shot, and dark stays visible on bright photos. */
function grey(x: number): Rgb {
  const t = 1 - clamp01(x);
  return [t, t, t];
}

const FUNCTIONS: Record<ColormapName, (x: number) => Rgb> = { turbo, inferno, grey };

/** The colour of `name` at t ∈ [0, 1] as floats in [0, 1]. */
export function colormapRgb(name: ColormapName, t: number): Rgb {
  const [r, g, b] = FUNCTIONS[name](t);
  return [clamp01(r), clamp01(g), clamp01(b)];
}

export const LUT_SIZE = 256;

const lutCache = new Map<ColormapName, Uint8Array>();

/** 256 RGBA8 entries; entry i is the colour at t = i / 255. Cached per map. */
export function colormapLut(name: ColormapName): Uint8Array {
  const cached = lutCache.get(name);
  if (cached) return cached;
  const lut = new Uint8Array(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const rgb = colormapRgb(name, i / (LUT_SIZE - 1));
    lut[i * 4] = Math.round(rgb[0] * 255);
    lut[i * 4 + 1] = Math.round(rgb[1] * 255);
    lut[i * 4 + 2] = Math.round(rgb[2] * 255);
    lut[i * 4 + 3] = 255;
  }
  lutCache.set(name, lut);
  return lut;
}

export function isColormapName(value: string): value is ColormapName {
  return (COLORMAPS as readonly string[]).includes(value);
}
