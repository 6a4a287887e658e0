// Draws a photo with its saliency heatmap. The WebGL2 path keeps the photo, the saliency map and
// the colormap LUT as textures and maps colours in a fragment shader, so changing the opacity,
// colormap, mode or swipe position is one uniform update and one draw, whatever the photo size.
// Without WebGL2 a 2D-canvas fallback colours the (small) saliency map on the CPU instead.
import { colormapLut, LUT_SIZE, type ColormapName } from './luts.ts';
import type { SaliencyMap } from './regions.ts';
import { messageOf } from '../../../models/common/errors.ts';

export const COMPOSITE_MODES = ['overlay', 'spotlight', 'side-by-side', 'swipe'] as const;
/** Overlay colours the salient parts; spotlight dims the rest; side by side and swipe compare with the photo. */
export type CompositeMode = (typeof COMPOSITE_MODES)[number];

export interface CompositeParams {
  colormap: ColormapName;
  /** Heatmap opacity (spotlight: how far the rest is dimmed), 0..1. */
  opacity: number;
  mode: CompositeMode;
  /** Swipe divider, 0..1 from the left: the heatmap is shown left of it. */
  split: number;
}

export type PhotoSource = ImageBitmap | HTMLImageElement | HTMLCanvasElement;

export interface HeatmapRenderer {
  readonly kind: 'webgl2' | '2d';
  /** Largest photo side the renderer can hold without downscaling. */
  readonly maxSide: number;
  setPhoto(photo: PhotoSource): void;
  setSaliency(map: SaliencyMap | null): void;
  /** Draws into the canvas at its current width/height. */
  render(params: CompositeParams): void;
  dispose(): void;
}

/**
 * The heat's weight (before opacity) rises from 0 at HEAT_FLOOR to 1 at HEAT_FULL, so a pixel whose
 * saliency is at or below HEAT_FLOOR keeps the photo's colour exactly.
 */
export const HEAT_FLOOR = 0.2;
export const HEAT_FULL = 0.7;
/** Spotlight at full opacity keeps this much of the light where saliency is low. */
export const SPOTLIGHT_FLOOR = 0.15;

/** Same weighting as the shader's smoothstep. */
export function heatWeight(s: number): number {
  const t = Math.min(1, Math.max(0, (s - HEAT_FLOOR) / (HEAT_FULL - HEAT_FLOOR)));
  return t * t * (3 - 2 * t);
}

/** Spotlight: how much a pixel is darkened (before opacity), the complement of its heat weight. */
export function spotlightShade(s: number): number {
  return (1 - SPOTLIGHT_FLOOR) * (1 - heatWeight(s));
}

const MODE_INDEX: Record<CompositeMode, number> = { overlay: 0, 'side-by-side': 1, swipe: 2, spotlight: 3 };

/** Canvas size (in photo pixels × scale) a mode needs: side by side is two photos wide. */
export function compositeSize(mode: CompositeMode, width: number, height: number): { width: number; height: number } {
  return mode === 'side-by-side' ? { width: width * 2, height } : { width, height };
}

const VERTEX = `#version 300 es
out vec2 v_uv;
void main() {
  // One triangle covering the viewport; v_uv has v = 0 at the top row, like the uploaded images.
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  v_uv = vec2(p.x, 1.0 - p.y);
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D u_photo;
uniform sampler2D u_saliency;
uniform sampler2D u_lut;
uniform float u_opacity;
uniform int u_mode;
uniform float u_split;
uniform bool u_hasSaliency;
in vec2 v_uv;
out vec4 outColor;

vec3 photo(vec2 uv) { return texture(u_photo, uv).rgb; }

float weightAt(vec2 uv) {
  return smoothstep(${HEAT_FLOOR.toFixed(3)}, ${HEAT_FULL.toFixed(3)}, clamp(texture(u_saliency, uv).r, 0.0, 1.0));
}

vec3 withHeat(vec2 uv) {
  vec3 p = photo(uv);
  if (!u_hasSaliency) return p;
  float s = clamp(texture(u_saliency, uv).r, 0.0, 1.0);
  // Sample the LUT at texel centres so s = 0 and s = 1 hit the first and last entries exactly.
  vec3 heat = texture(u_lut, vec2((s * ${LUT_SIZE - 1}.0 + 0.5) / ${LUT_SIZE}.0, 0.5)).rgb;
  return mix(p, heat, u_opacity * weightAt(uv));
}

vec3 spotlight(vec2 uv) {
  vec3 p = photo(uv);
  if (!u_hasSaliency) return p;
  return p * (1.0 - u_opacity * ${(1 - SPOTLIGHT_FLOOR).toFixed(3)} * (1.0 - weightAt(uv)));
}

void main() {
  vec2 uv = v_uv;
  vec3 c;
  if (u_mode == 1) {
    c = uv.x < 0.5 ? photo(vec2(uv.x * 2.0, uv.y)) : withHeat(vec2(uv.x * 2.0 - 1.0, uv.y));
  } else if (u_mode == 2) {
    c = uv.x < u_split ? withHeat(uv) : photo(uv);
  } else if (u_mode == 3) {
    c = spotlight(uv);
  } else {
    c = withHeat(uv);
  }
  outColor = vec4(c, 1.0);
}`;

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL2: createShader failed');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
    throw new Error(`WebGL2 shader did not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
  }
  return shader;
}

class WebGl2HeatmapRenderer implements HeatmapRenderer {
  readonly kind = 'webgl2';
  readonly maxSide: number;
  private readonly program: WebGLProgram;
  private readonly photoTex: WebGLTexture;
  private readonly saliencyTex: WebGLTexture;
  private readonly lutTex: WebGLTexture;
  private readonly vao: WebGLVertexArrayObject;
  private readonly uniforms: Record<'opacity' | 'mode' | 'split' | 'hasSaliency', WebGLUniformLocation | null>;
  private lutName: ColormapName | null = null;
  private hasSaliency = false;

  constructor(private readonly gl: WebGL2RenderingContext) {
    this.maxSide = Math.min(gl.getParameter(gl.MAX_TEXTURE_SIZE) as number, 16384);
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new Error(`WebGL2 program did not link: ${gl.getProgramInfoLog(program) ?? ''}`);
    }
    this.program = program;
    this.vao = gl.createVertexArray();
    this.photoTex = this.texture(0, gl.LINEAR_MIPMAP_LINEAR);
    this.saliencyTex = this.texture(1, gl.LINEAR);
    this.lutTex = this.texture(2, gl.LINEAR);
    gl.useProgram(program);
    gl.uniform1i(gl.getUniformLocation(program, 'u_photo'), 0);
    gl.uniform1i(gl.getUniformLocation(program, 'u_saliency'), 1);
    gl.uniform1i(gl.getUniformLocation(program, 'u_lut'), 2);
    this.uniforms = {
      opacity: gl.getUniformLocation(program, 'u_opacity'),
      mode: gl.getUniformLocation(program, 'u_mode'),
      split: gl.getUniformLocation(program, 'u_split'),
      hasSaliency: gl.getUniformLocation(program, 'u_hasSaliency'),
    };
  }

  private texture(unit: number, minFilter: number): WebGLTexture {
    const { gl } = this;
    const tex = gl.createTexture();
    gl.activeTexture(gl.TEXTURE0 + unit);
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, minFilter);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    return tex;
  }

  setPhoto(photo: PhotoSource): void {
    const { gl } = this;
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.photoTex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, photo);
    // Mipmaps keep a large photo from shimmering when shown smaller than its size.
    gl.generateMipmap(gl.TEXTURE_2D);
  }

  setSaliency(map: SaliencyMap | null): void {
    const { gl } = this;
    this.hasSaliency = map !== null;
    if (!map) return;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.saliencyTex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    // R16F is filterable in every WebGL2 implementation (R32F needs OES_texture_float_linear).
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R16F, map.width, map.height, 0, gl.RED, gl.FLOAT, map.data);
  }

  render(params: CompositeParams): void {
    const { gl } = this;
    if (this.lutName !== params.colormap) {
      gl.activeTexture(gl.TEXTURE2);
      gl.bindTexture(gl.TEXTURE_2D, this.lutTex);
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
      gl.texImage2D(
        gl.TEXTURE_2D,
        0,
        gl.RGBA8,
        LUT_SIZE,
        1,
        0,
        gl.RGBA,
        gl.UNSIGNED_BYTE,
        colormapLut(params.colormap),
      );
      this.lutName = params.colormap;
    }
    gl.viewport(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);
    gl.useProgram(this.program);
    gl.uniform1f(this.uniforms.opacity, params.opacity);
    gl.uniform1i(this.uniforms.mode, MODE_INDEX[params.mode]);
    gl.uniform1f(this.uniforms.split, params.split);
    gl.uniform1i(this.uniforms.hasSaliency, this.hasSaliency ? 1 : 0);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }

  dispose(): void {
    const { gl } = this;
    gl.deleteTexture(this.photoTex);
    gl.deleteTexture(this.saliencyTex);
    gl.deleteTexture(this.lutTex);
    gl.deleteProgram(this.program);
    gl.deleteVertexArray(this.vao);
  }
}

/** CPU fallback: colours the saliency map (model input size, small) once per colormap change. */
class Canvas2dHeatmapRenderer implements HeatmapRenderer {
  readonly kind = '2d';
  readonly maxSide = 8192;
  private photo: PhotoSource | null = null;
  private map: SaliencyMap | null = null;
  private heat: HTMLCanvasElement | null = null;
  private heatColormap: ColormapName | null = null;
  private shade: HTMLCanvasElement | null = null;

  constructor(private readonly ctx: CanvasRenderingContext2D) {}

  setPhoto(photo: PhotoSource): void {
    this.photo = photo;
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

  render(params: CompositeParams): void {
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
      ctx.drawImage(this.photo!, x, 0, w, height);
      if (withHeat && heat) {
        ctx.globalAlpha = params.opacity;
        ctx.drawImage(heat, x, 0, w, height);
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

export interface RendererChoice {
  renderer: HeatmapRenderer;
  /** Set when WebGL2 was not available and the 2D fallback is used. */
  fallbackReason?: string;
}

/**
 * A WebGL2 renderer for `canvas`, or the 2D fallback with the reason. `preserveDrawingBuffer`
 * is for export canvases that are read back after drawing.
 */
export function createHeatmapRenderer(
  canvas: HTMLCanvasElement,
  options: { preserveDrawingBuffer?: boolean } = {},
): RendererChoice {
  let reason = 'this browser has no WebGL2';
  const gl = canvas.getContext('webgl2', {
    alpha: false,
    antialias: false,
    premultipliedAlpha: false,
    preserveDrawingBuffer: options.preserveDrawingBuffer ?? false,
  });
  if (gl) {
    try {
      return { renderer: new WebGl2HeatmapRenderer(gl) };
    } catch (e) {
      reason = messageOf(e);
    }
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Neither WebGL2 nor a 2D canvas context is available');
  return { renderer: new Canvas2dHeatmapRenderer(ctx), fallbackReason: reason };
}
