// Draws a photo with its saliency heatmap. The WebGL2 path keeps the photo, the saliency map and
// the colormap LUT as textures and maps colours in a fragment shader, so changing the opacity,
// colormap, mode or swipe position is one uniform update and one draw, whatever the photo size.
// Without WebGL2 a 2D-canvas fallback colours the (small) saliency map on the CPU instead.
import { colormapLut, LUT_SIZE, type ColormapName } from './luts.ts';
import type { SaliencyMap } from './regions.ts';
import { messageOf } from '../../../models/common/errors.ts';
import { FULL_VIEW, type Rect } from '../loupe/view.ts';
import {
  HEAT_FLOOR,
  HEAT_FULL,
  SPOTLIGHT_FLOOR,
  type CompositeMode,
  type CompositeParams,
  type HeatmapRenderer,
  type PhotoSource,
} from './composite.ts';
import { Canvas2dHeatmapRenderer } from './renderer2d.ts';

export * from './composite.ts';

const MODE_INDEX: Record<CompositeMode, number> = { overlay: 0, 'side-by-side': 1, swipe: 2, spotlight: 3 };

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
// The part of the photo in view, and the part the photo texture holds (x, y, width, height).
uniform vec4 u_view;
uniform vec4 u_region;
in vec2 v_uv;
out vec4 outColor;

// A point of the view (0..1) as a point of the whole photo, where the saliency map is read.
vec2 inPhoto(vec2 uv) { return u_view.xy + uv * u_view.zw; }

vec3 photo(vec2 uv) { return texture(u_photo, (inPhoto(uv) - u_region.xy) / u_region.zw).rgb; }

float saliencyAt(vec2 uv) { return clamp(texture(u_saliency, inPhoto(uv)).r, 0.0, 1.0); }

float weightAt(vec2 uv) {
  return smoothstep(${HEAT_FLOOR.toFixed(3)}, ${HEAT_FULL.toFixed(3)}, saliencyAt(uv));
}

vec3 withHeat(vec2 uv) {
  vec3 p = photo(uv);
  if (!u_hasSaliency) return p;
  float s = saliencyAt(uv);
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
  private readonly uniforms: Record<
    'opacity' | 'mode' | 'split' | 'hasSaliency' | 'view' | 'region',
    WebGLUniformLocation | null
  >;
  private region: Rect = FULL_VIEW;
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
      view: gl.getUniformLocation(program, 'u_view'),
      region: gl.getUniformLocation(program, 'u_region'),
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

  setPhoto(photo: PhotoSource, region: Rect = FULL_VIEW): void {
    const { gl } = this;
    this.region = region;
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.photoTex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, gl.RGBA, gl.UNSIGNED_BYTE, photo);
    // Mipmaps keep a large photo from shimmering when shown smaller than its size. A region is
    // decoded at the zoom it is shown at, never minified: sampled exactly, pixel for pixel at 1:1.
    const whole = region === FULL_VIEW;
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, whole ? gl.LINEAR_MIPMAP_LINEAR : gl.LINEAR);
    if (whole) gl.generateMipmap(gl.TEXTURE_2D);
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

  render(params: CompositeParams, view: Rect = FULL_VIEW): void {
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
    gl.uniform4f(this.uniforms.view, view.x, view.y, view.width, view.height);
    const r = this.region;
    gl.uniform4f(this.uniforms.region, r.x, r.y, r.width, r.height);
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
