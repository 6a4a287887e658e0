// The heatmap renderer without WebGL2: the photo and a CPU-coloured saliency map drawn with a 2D canvas.
import { colormapLut, LUT_SIZE, type ColormapName } from './luts.ts';
import type { SaliencyMap } from './regions.ts';
import { FULL_VIEW, type Rect } from '../loupe/view.ts';
import {
  heatWeight,
  spotlightShade,
  type CompositeParams,
  type HeatmapRenderer,
  type PhotoSource,
} from './composite.ts';

/** CPU fallback: colours the saliency map (model input size, small) once per colormap change. */
export class Canvas2dHeatmapRenderer implements HeatmapRenderer {
  readonly kind = '2d';
  readonly maxSide = 8192;
  private photo: PhotoSource | null = null;
  private region: Rect = FULL_VIEW;
  private map: SaliencyMap | null = null;
  private heat: HTMLCanvasElement | null = null;
  private heatColormap: ColormapName | null = null;
  private shade: HTMLCanvasElement | null = null;

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  setPhoto(photo: PhotoSource, region: Rect = FULL_VIEW): void {
    this.photo = photo;
    this.region = region;
  }

  setSaliency(map: SaliencyMap | null): void {
    this.map = map;
    this.heatColormap = null;
    this.shade = null;
  }

  /** Black with the spotlight's darkening as alpha: drawn over the photo, it dims what is not salient. */
  private shadeCanvas(): HTMLCanvasElement | null {
    if (!this.map) return null;
    if (this.shade) return this.shade;
    const { width, height, data } = this.map;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    for (let i = 0; i < data.length; i++) image.data[i * 4 + 3] = Math.round(255 * spotlightShade(data[i]!));
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    this.shade = canvas;
    return canvas;
  }

  private heatCanvas(colormap: ColormapName): HTMLCanvasElement | null {
    if (!this.map) return null;
    if (this.heat && this.heatColormap === colormap) return this.heat;
    const { width, height, data } = this.map;
    const canvas = this.heat ?? document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    const lut = colormapLut(colormap);
    for (let i = 0; i < data.length; i++) {
      const k = Math.round(Math.min(1, Math.max(0, data[i]!)) * (LUT_SIZE - 1)) * 4;
      image.data[i * 4] = lut[k]!;
      image.data[i * 4 + 1] = lut[k + 1]!;
      image.data[i * 4 + 2] = lut[k + 2]!;
      image.data[i * 4 + 3] = Math.round(255 * heatWeight(data[i]!));
    }
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    this.heat = canvas;
    this.heatColormap = colormap;
    return canvas;
  }

  render(params: CompositeParams, view: Rect = FULL_VIEW): void {
    const { ctx } = this;
    const { width, height } = ctx.canvas;
    ctx.clearRect(0, 0, width, height);
    if (!this.photo) return;
    const heat = params.mode === 'spotlight' ? this.shadeCanvas() : this.heatCanvas(params.colormap);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    const drawPair = (x: number, w: number, clipW: number, withHeat: boolean): void => {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x, 0, clipW, height);
      ctx.clip();
      const photo = this.photo!;
      const r = this.region;
      const pw = photo.width / r.width;
      const ph = photo.height / r.height;
      ctx.drawImage(
        photo,
        ((view.x - r.x) / r.width) * photo.width,
        ((view.y - r.y) / r.height) * photo.height,
        view.width * pw,
        view.height * ph,
        x,
        0,
        w,
        height,
      );
      if (withHeat && heat) {
        ctx.globalAlpha = params.opacity;
        const { width: mw, height: mh } = heat;
        ctx.drawImage(heat, view.x * mw, view.y * mh, view.width * mw, view.height * mh, x, 0, w, height);
      }
      ctx.restore();
    };
    if (params.mode === 'side-by-side') {
      drawPair(0, width / 2, width / 2, false);
      drawPair(width / 2, width / 2, width / 2, true);
    } else if (params.mode === 'swipe') {
      drawPair(0, width, width, false);
      drawPair(0, width, width * params.split, true);
    } else {
      drawPair(0, width, width, true);
    }
  }

  dispose(): void {
    this.photo = null;
    this.heat = null;
    this.shade = null;
  }
}
