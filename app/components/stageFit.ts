// Fitting the photo's stage into its frame, and what to tell the user about a photo so long and
// thin that its heatmap can barely be seen.

/** Least size, in CSS pixels, of the stage's short side: a 2000:1 panorama stays visible as a strip. */
export const MIN_STAGE_SIDE = 24;
/** From this aspect ratio on, the map's readings along the long side are far apart: the user is told. */
export const STRIP_ASPECT = 8;

/**
 * The largest box of this aspect ratio (width / height) inside the frame, its short side never
 * under MIN_STAGE_SIDE (nor the frame): an extreme strip is stretched across its short side to stay visible.
 */
export function fitStage(frameWidth: number, frameHeight: number, aspect: number): { width: number; height: number } {
  const width = Math.min(frameWidth, frameHeight * aspect);
  const height = Math.min(frameHeight, width / aspect);
  return {
    width: Math.floor(Math.max(width, Math.min(MIN_STAGE_SIDE, frameWidth))),
    height: Math.floor(Math.max(height, Math.min(MIN_STAGE_SIDE, frameHeight))),
  };
}

/**
 * Where to put a box `size` long in a frame side `frame` long that starts at page coordinate
 * `origin` (CSS pixels): centred, then moved to the nearest whole screen pixel, so that at 1:1
 * each photo pixel lands on one screen pixel instead of being blurred across two.
 */
export function centredOnPixels(origin: number, frame: number, size: number, dpr: number): number {
  return Math.round((origin + (frame - size) / 2) * dpr) / dpr - origin;
}

/**
 * For a photo of STRIP_ASPECT:1 or more, a note saying the heatmap is coarse along its length
 * (the model sees the photo squeezed into its square input of `mapSide` readings); otherwise undefined.
 */
export function stripNote(width: number, height: number, mapSide: number): string | undefined {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (short <= 0 || long / short < STRIP_ASPECT) return undefined;
  const ratio = long / short;
  const ratioText = ratio >= 100 ? Math.round(ratio).toString() : ratio.toFixed(1).replace(/\.0$/, '');
  const step = Math.max(1, Math.round(long / mapSide));
  return (
    `This photo is ${ratioText}:1. The model sees it squeezed into a square, so the heatmap is coarse ` +
    `along its length (one reading every ${step} px) and it is shown at least ${MIN_STAGE_SIDE} px ${width > height ? 'tall' : 'wide'}.`
  );
}
