/** 8-bit RGBA pixels, row-major, as ImageData and sharp's `.ensureAlpha().raw()` give them. Alpha is ignored. */
export interface RgbaPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** A saliency map in [0, 1], row-major; it covers the whole photo (stretched, as the IASM saliency input is). */
export interface SaliencyMap {
  data: Float32Array | readonly number[];
  width: number;
  height: number;
}

export interface Histograms {
  /** 256 bins of round(Y · 255), fractions of all pixels. */
  luma: number[];
  red: number[];
  green: number[];
  blue: number[];
}

/** The exposure facts, less the histograms. */
export interface ExposureFacts {
  meanLuma: number;
  /** Standard deviation of Y (0–1): global (RMS) contrast. */
  contrast: number;
  clippedHighlights: number;
  clippedShadows: number;
}

export interface Exposure extends ExposureFacts {
  histogram: Histograms;
}

export interface PaletteColour {
  hex: string;
  /** Fraction of the photo's pixels in this colour's cluster. */
  share: number;
}

export interface Colour {
  colourfulness: number;
  palette: PaletteColour[];
}

/** The focus facts, less the sharpness grid. */
export interface FocusFacts {
  /** The variance of the Laplacian of luma (0–255 scale) over the whole photo resized to longest side 1024. */
  overall: number;
  subjectSharpness: number | null;
  backgroundSharpness: number | null;
  /** Sensor-style noise: standard deviation of luma noise (0–255 scale), Immerkær's estimator. */
  noise: number;
}

export interface Focus extends FocusFacts {
  /** 8×8 row-major variances of the Laplacian of luma (0–255 scale) at longest side 1024. */
  grid: number[];
}

export interface Composition {
  saliencyCentroid: [number, number] | null;
  thirdsDistance: number | null;
  /** Fraction of the photo where saliency ≥ 0.5. */
  subjectSize: number | null;
  horizonTilt: number | null;
  /** Where that line crosses the vertical centre line, as a fraction of the height from the top. */
  horizonY: number | null;
  /** Left–right mirror similarity of luma in [0, 1] (1 = perfectly symmetric). */
  symmetry: number;
}

/**
 * The attributes less their details (a tenth of the size): what readings, grounding, sorting and
 * stacks use, and what a gallery of thousands of photos keeps in memory.
 */
export interface AttributeFacts {
  exposure: ExposureFacts;
  colour: Colour;
  focus: FocusFacts;
  composition: Composition;
}

/** What the attributes hold beyond their facts: drawn for the photo shown, read by nothing else. */
export interface AttributeDetails {
  histogram: Histograms;
  /** Focus.grid. */
  sharpnessGrid: number[];
}

export interface Attributes extends AttributeFacts {
  exposure: Exposure;
  focus: Focus;
}
