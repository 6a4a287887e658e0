// The analysis report of one photo, as JSON (machine-readable) and Markdown (for people).
// Pure functions: the caller gathers the data from the stores.
import { readings, type Attributes } from '../../../models/attributes/index.ts';
import type { BackendInfo } from '../../../workers/protocol.ts';
import type { ColormapName } from '../colormap/luts.ts';
import type { CompositeMode } from '../colormap/renderer.ts';
import { describeCamera, type CameraData } from '../intake/camera.ts';
import { heatmapKey, type HeatmapKey } from './heatmapKey.ts';

export interface ReportPack {
  id: string;
  name: string;
  /** A generated demo/test model: its results are not meaningful. */
  fixture: boolean;
}

export interface ReportInput {
  fileName: string;
  width: number;
  height: number;
  score?: number;
  /** What the score means and its scale, from the IASM pack. */
  scoreLabel?: string;
  critique: string;
  /** True when the critique was stopped before the model finished. */
  critiqueStopped: boolean;
  packs: { iasm: ReportPack | null; critic: ReportPack | null };
  settings: {
    colormap: ColormapName;
    opacity: number;
    viewMode: CompositeMode;
    outlines: boolean;
    guidance: boolean;
    /** The IAS-ViT vision encoder (only where the critic pack offers it). */
    iasvit: boolean;
    maxNewTokens: number;
    doSample: boolean;
  };
  backends: { iasm?: BackendInfo; critic?: BackendInfo };
  timings: { decodeMs?: number; analyseMs?: number; critiqueMs?: number };
  /** Top salient regions as fractions of the photo. */
  regions: { rank: number; share: number; x: number; y: number; width: number; height: number }[];
  /** Measured attributes (models/attributes/README.md), when measured. */
  attributes?: Attributes;
  /** The exact text the critic was told, when it wrote a critique. */
  prompt?: string;
  /** Crop suggestions, when scored: every crop best first (full frame included), pixels of the oriented photo. */
  crops?: ReportCrops;
  /** Camera, lens and exposure from the photo's EXIF, once read. */
  camera?: CameraData;
  date: Date;
}

/** The EXIF camera data as reports give it: every field, null where the file does not say. */
export interface ReportCamera {
  /** One line: "Canon EOS 400D DIGITAL · EF-S18-55mm f/3.5-5.6 · 18 mm · f/3.5 · 0.4 s · ISO 100". */
  summary: string;
  camera: string | null;
  lens: string | null;
  focalLengthMm: number | null;
  fNumber: number | null;
  exposureSeconds: number | null;
  iso: number | null;
  /** When it was taken (the camera's clock), ISO 8601. */
  takenAt: string | null;
}

/** Null when the photo carries no camera data (or it was not read yet). */
function reportCamera(c: CameraData | undefined): ReportCamera | null {
  if (!c || Object.keys(c).length === 0) return null;
  return {
    summary: describeCamera(c),
    camera: c.camera ?? null,
    lens: c.lens ?? null,
    focalLengthMm: c.focalLength ?? null,
    fNumber: c.fNumber ?? null,
    exposureSeconds: c.exposureTime ?? null,
    iso: c.iso ?? null,
    takenAt: c.takenAt !== undefined ? new Date(c.takenAt).toISOString() : null,
  };
}

export interface ReportCrops {
  fullFrame: number;
  /** Score change under crops indistinguishable from the full frame; a crop gains only above it. */
  noise: number;
  crops: { x: number; y: number; width: number; height: number; aspect: string; score: number }[];
}

export interface JsonReport {
  format: 'aeslens-report';
  version: 1;
  file: { name: string; width: number; height: number };
  camera: ReportCamera | null;
  score: { value: number | null; label: string | null };
  critique: { text: string; stopped: boolean; prompt: string | null };
  attributes: Attributes | null;
  /** One plain-language line per measurement. */
  readings: string[];
  packs: ReportInput['packs'];
  demo: boolean;
  settings: ReportInput['settings'];
  backends: ReportInput['backends'];
  timings: ReportInput['timings'];
  regions: ReportInput['regions'];
  crops: ReportCrops | null;
  /** The heatmap legend: what its colours, transparency and scale mean in the exported view. */
  heatmap: HeatmapKey;
  date: string;
}

export function buildJsonReport(input: ReportInput): JsonReport {
  return {
    format: 'aeslens-report',
    version: 1,
    file: { name: input.fileName, width: input.width, height: input.height },
    camera: reportCamera(input.camera),
    score: { value: input.score ?? null, label: input.scoreLabel ?? null },
    critique: { text: input.critique, stopped: input.critiqueStopped, prompt: input.prompt ?? null },
    attributes: input.attributes ?? null,
    readings: input.attributes ? readings(input.attributes).map((r) => r.text) : [],
    packs: input.packs,
    demo: Boolean(input.packs.iasm?.fixture || input.packs.critic?.fixture),
    settings: input.settings,
    backends: input.backends,
    timings: input.timings,
    regions: input.regions,
    crops: input.crops
      ? {
          fullFrame: input.crops.fullFrame,
          noise: input.crops.noise,
          crops: input.crops.crops.map(({ x, y, width, height, aspect, score }) => ({
            x,
            y,
            width,
            height,
            aspect,
            score,
          })),
        }
      : null,
    heatmap: heatmapKey(input.settings.colormap, input.settings.viewMode, input.settings.opacity),
    date: input.date.toISOString(),
  };
}

/**
 * A string from outside (file name, pack and adapter names, model text) as literal Markdown text:
 * one line, with the characters that start emphasis, links, HTML, code, tables or headings escaped.
 */
export function markdownText(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').replace(/[\\`*_[\]<>!|~&#]/g, '\\$&');
}

/** One line of model text inside a block quote: escaped, and a leading list or heading marker made literal. */
const markdownLine = (line: string): string =>
  markdownText(line)
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');

const backendText = (b: BackendInfo | undefined): string =>
  !b
    ? 'not run'
    : b.backend === 'webgpu'
      ? `WebGPU${b.adapter ? ` (${markdownText(b.adapter)})` : ''}`
      : `WASM — ${markdownText(b.reason ?? '')}`;

const packText = (p: ReportPack | null): string =>
  !p ? 'none' : `${markdownText(p.name)} (${markdownText(p.id)})${p.fixture ? ' — demo/test model, untrained' : ''}`;

const ms = (v: number | undefined): string => (v === undefined ? '—' : `${Math.round(v)} ms`);

/** Model text can contain anything: each line escaped and quoted, so it cannot break the layout. */
const quote = (text: string): string =>
  text
    .split(/\r\n?|\n/)
    .map((line) => `> ${markdownLine(line)}`.trimEnd())
    .join('\n');

export function buildMarkdownReport(input: ReportInput): string {
  const r = buildJsonReport(input);
  const lines = [
    `# AesLens report: ${markdownText(input.fileName)}`,
    '',
    ...(r.demo
      ? ['**Demo models — untrained, for trying the app; the heatmap and critique are not meaningful.**', '']
      : []),
    `- Photo: ${markdownText(input.fileName)}, ${input.width} × ${input.height} px`,
    ...(r.camera?.summary ? [`- Camera: ${markdownText(r.camera.summary)}`] : []),
    ...(r.camera?.takenAt ? [`- Taken: ${r.camera.takenAt}`] : []),
    `- Aesthetic score: ${input.score === undefined ? '—' : input.score.toFixed(2)}${
      input.scoreLabel ? ` (${markdownText(input.scoreLabel)})` : ''
    }`,
    `- Date: ${r.date}`,
    '',
    '## Critique',
    '',
    input.critique.trim() ? quote(input.critique.trim()) : '_No critique was written._',
    ...(input.critiqueStopped ? ['', '_Stopped before the model finished._'] : []),
    ...(input.prompt ? ['', 'What the critic was told:', '', quote(input.prompt)] : []),
    '',
    '## Measurements',
    '',
    ...(r.readings.length === 0 ? ['_Not measured._'] : r.readings.map((t) => `- ${t}`)),
    ...(input.attributes
      ? [
          `- Palette: ${input.attributes.colour.palette.map((p) => `${p.hex} (${Math.round(100 * p.share)} %)`).join(', ')}`,
        ]
      : []),
    '',
    '## Heatmap key',
    '',
    `- Low: ${markdownText(r.heatmap.low)}; high: ${markdownText(r.heatmap.high)}`,
    `- ${markdownText(r.heatmap.meaning)}`,
    `- ${markdownText(r.heatmap.scale)}`,
    '',
    '## Most salient regions',
    '',
    ...(input.regions.length === 0
      ? ['_None computed._']
      : input.regions.map(
          (g) =>
            `${g.rank}. centre at ${Math.round((g.x + g.width / 2) * 100)}% across, ${Math.round(
              (g.y + g.height / 2) * 100,
            )}% down; ${Math.round(g.share * 100)}% of the saliency`,
        )),
    '',
    '## Models',
    '',
    `- Saliency and score: ${packText(input.packs.iasm)}, ${backendText(input.backends.iasm)}`,
    `- Critic: ${packText(input.packs.critic)}, ${backendText(input.backends.critic)}`,
    '',
    '## Settings',
    '',
    `- Saliency guidance: ${input.settings.guidance ? 'on' : 'off'}; IAS-ViT encoder: ${input.settings.iasvit ? 'on' : 'off'}`,
    `- Max new tokens: ${input.settings.maxNewTokens}; sampling: ${input.settings.doSample ? 'on' : 'off (greedy)'}`,
    `- View: ${markdownText(input.settings.viewMode)}, ${markdownText(input.settings.colormap)} colormap at ${Math.round(
      input.settings.opacity * 100,
    )}% opacity${input.settings.outlines ? ', region outlines' : ''}`,
    '',
    '## Timings',
    '',
    `- Decode: ${ms(input.timings.decodeMs)}; analysis: ${ms(input.timings.analyseMs)}; critique: ${ms(
      input.timings.critiqueMs,
    )}`,
    '',
  ];
  return lines.join('\n');
}

/** Names Windows reserves for devices, whatever the extension. */
const RESERVED_NAME = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
/** UTF-8 bytes kept of the base name: file systems allow 255 for the whole name. */
const MAX_BASE_BYTES = 200;

/**
 * A file name for exports: the photo's base name plus a suffix. Every letter, digit, emoji and
 * space is kept; only what file systems forbid goes (path separators, control characters,
 * Windows' <>:"|?*, trailing dots and spaces, device names).
 */
export function exportFileName(photoName: string, suffix: string, extension: string): string {
  const last = photoName.split(/[\\/]/).pop() ?? '';
  let base = last
    .normalize('NFC')
    .replace(/\.[^.]+$/, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]+/g, '_')
    .replace(/[. ]+$/, '')
    .trim();
  const encoder = new TextEncoder();
  while (encoder.encode(base).length > MAX_BASE_BYTES) base = [...base].slice(0, -1).join('');
  if (!base || RESERVED_NAME.test(base)) base = base ? `${base}_` : 'photo';
  return `${base}-${suffix}.${extension}`;
}
