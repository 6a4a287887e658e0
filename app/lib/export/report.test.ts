import { describe, expect, it } from 'vitest';
import { measureAttributes, readings } from '../../../models/attributes/index.ts';
import { buildJsonReport, buildMarkdownReport, exportFileName, type ReportInput } from './report.ts';

/** 40×20: the left three quarters white (clipped), the rest mid-grey. */
const pixels = new Uint8Array(40 * 20 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i >> 2) % 40 < 30 ? 255 : 128));
const attributes = measureAttributes({ data: pixels, width: 40, height: 20 }, null);

const input: ReportInput = {
  fileName: 'holiday/Dune.jpg',
  width: 1600,
  height: 900,
  score: 5.4321,
  scoreLabel: 'LAION aesthetic score (≈1–10)',
  critique: 'Strong leading lines.\n# not a heading',
  critiqueStopped: true,
  packs: {
    iasm: { id: 'fixture-clip', name: 'Demo CLIP', fixture: true },
    critic: { id: 'smolvlm-256m', name: 'SmolVLM', fixture: false },
  },
  settings: {
    colormap: 'turbo',
    opacity: 0.6,
    viewMode: 'overlay',
    outlines: true,
    guidance: true,
    iasvit: false,
    maxNewTokens: 96,
    doSample: false,
  },
  backends: { iasm: { backend: 'wasm', reason: 'no WebGPU adapter' }, critic: { backend: 'webgpu' } },
  timings: { decodeMs: 12.4, analyseMs: 300 },
  regions: [{ rank: 1, share: 0.42, x: 0.1, y: 0.2, width: 0.2, height: 0.2 }],
  date: new Date('2026-11-22T03:00:00Z'),
};

describe('reports', () => {
  it('JSON carries score, critique, packs, settings, backends and marks demo packs', () => {
    const r = JSON.parse(JSON.stringify(buildJsonReport(input))) as ReturnType<typeof buildJsonReport>;
    expect(r.score).toEqual({ value: 5.4321, label: 'LAION aesthetic score (≈1–10)' });
    expect(r.critique).toEqual({ text: input.critique, stopped: true, prompt: null });
    expect(r.attributes).toBeNull();
    expect(r.packs.iasm?.id).toBe('fixture-clip');
    expect(r.demo).toBe(true);
    expect(r.settings.maxNewTokens).toBe(96);
    expect(r.backends.iasm).toEqual({ backend: 'wasm', reason: 'no WebGPU adapter' });
    expect(r.date).toBe('2026-11-22T03:00:00.000Z');
    expect(r.file).toEqual({ name: 'holiday/Dune.jpg', width: 1600, height: 900 });
  });

  it('JSON lists the crop suggestions with their rectangles, best first, only when they were scored', () => {
    expect(buildJsonReport(input).crops).toBeNull();
    const crops = [
      { x: 100, y: 0, width: 720, height: 900, aspect: '4:5', score: 5.9, extra: 1 },
      { x: 0, y: 0, width: 1600, height: 900, aspect: 'original', score: 5.4 },
    ];
    const r = JSON.parse(JSON.stringify(buildJsonReport({ ...input, crops: { fullFrame: 5.4, noise: 0.02, crops } })));
    expect(r.crops).toEqual({
      fullFrame: 5.4,
      noise: 0.02,
      crops: [
        { x: 100, y: 0, width: 720, height: 900, aspect: '4:5', score: 5.9 },
        { x: 0, y: 0, width: 1600, height: 900, aspect: 'original', score: 5.4 },
      ],
    });
  });

  it('JSON and Markdown carry the heatmap key of the exported view, with the legend’s words', () => {
    const r = buildJsonReport(input);
    expect(r.heatmap).toMatchObject({ mode: 'overlay', colormap: 'turbo', low: 'Low saliency: photo unchanged' });
    const md = buildMarkdownReport(input);
    expect(md).toContain('## Heatmap key\n\n- Low: Low saliency: photo unchanged; high: High\n');
    expect(md).toContain("- Saliency scaled to the photo's own peak");
    const spot = buildJsonReport({ ...input, settings: { ...input.settings, viewMode: 'spotlight' } });
    expect(spot.heatmap).toMatchObject({ mode: 'spotlight', colormap: null, low: 'Low saliency: dimmed' });
  });

  it('Markdown quotes the critique so model text cannot add headings', () => {
    const md = buildMarkdownReport(input);
    expect(md).toContain('> Strong leading lines.\n> \\# not a heading');
    expect(md).toContain('Aesthetic score: 5.43 (LAION aesthetic score (≈1–10))');
    expect(md).toContain('demo/test model, untrained');
    expect(md).toContain('WASM — no WebGPU adapter');
    expect(md).toContain('1. centre at 20% across, 30% down; 42% of the saliency');
    expect(md.match(/^## /gm)).toHaveLength(7);
    expect(md).toContain('## Measurements\n\n_Not measured._');
  });

  it('JSON and Markdown carry the camera data from the EXIF, each field named with its unit', () => {
    expect(buildJsonReport(input).camera).toBeNull();
    expect(buildJsonReport({ ...input, camera: {} }).camera).toBeNull();
    expect(buildMarkdownReport(input)).not.toContain('Camera:');
    const camera = {
      camera: 'Canon EOS 400D DIGITAL',
      lens: 'EF-S18-55mm f/3.5-5.6',
      focalLength: 18,
      fNumber: 3.5,
      exposureTime: 0.4,
      iso: 100,
      takenAt: Date.UTC(2008, 9, 22, 16, 29, 49),
    };
    const r = JSON.parse(JSON.stringify(buildJsonReport({ ...input, camera }))) as ReturnType<typeof buildJsonReport>;
    expect(r.camera).toEqual({
      summary: 'Canon EOS 400D DIGITAL · EF-S18-55mm f/3.5-5.6 · 18 mm · f/3.5 · 0.4 s · ISO 100',
      camera: 'Canon EOS 400D DIGITAL',
      lens: 'EF-S18-55mm f/3.5-5.6',
      focalLengthMm: 18,
      fNumber: 3.5,
      exposureSeconds: 0.4,
      iso: 100,
      takenAt: '2008-10-22T16:29:49.000Z',
    });
    // Only what the file says: no lens, no date.
    expect(buildJsonReport({ ...input, camera: { camera: 'X100V', exposureTime: 1 / 250 } }).camera).toMatchObject({
      summary: 'X100V · 1/250 s',
      lens: null,
      takenAt: null,
    });
    const md = buildMarkdownReport({ ...input, camera: { ...camera, lens: 'Lens_*x*' } }).split('\n');
    expect(md).toContain('- Camera: Canon EOS 400D DIGITAL · Lens\\_\\*x\\* · 18 mm · f/3.5 · 0.4 s · ISO 100');
    expect(md).toContain('- Taken: 2008-10-22T16:29:49.000Z');
  });

  it('makes safe export file names', () => {
    expect(exportFileName('holiday/Dune.jpg', 'report', 'md')).toBe('Dune-report.md');
    expect(exportFileName('my photo (1).png', 'overlay', 'png')).toBe('my photo (1)-overlay.png');
    expect(exportFileName('', 'report', 'json')).toBe('photo-report.json');
  });

  it('carry the measurements, their readings and the prompt the critic was told', () => {
    const prompt = 'Comment on this image from an aesthetic perspective. Measured: highlights clipped on 75 %.';
    const withFacts = { ...input, attributes, prompt };
    const r = JSON.parse(JSON.stringify(buildJsonReport(withFacts))) as ReturnType<typeof buildJsonReport>;
    expect(r.attributes!.exposure.clippedHighlights).toBe(0.75);
    expect(r.critique.prompt).toBe(prompt);
    expect(r.readings).toContain('Highlights clipped on 75 % of the photo');
    const md = buildMarkdownReport(withFacts);
    for (const line of readings(attributes)) expect(md).toContain(`- ${line.text}`);
    expect(md).toContain('- Palette: #ffffff (75 %), #808080 (25 %)');
    expect(md).toContain(`> ${prompt}`);
  });

  it('export file names keep Unicode letters and emoji, and drop only what file systems forbid', () => {
    expect(exportFileName('📷 café ñ 日本語 🦅.jpg', 'report', 'md')).toBe('📷 café ñ 日本語 🦅-report.md');
    expect(exportFileName('東京タワー.jpg', 'overlay', 'png')).toBe('東京タワー-overlay.png');
    // NFD (as macOS file systems hand names over) comes out NFC.
    expect(exportFileName('cafe\u0301.jpg', 'report', 'md')).toBe('caf\u00e9-report.md');
    expect(exportFileName('a<b>c:d"e|f?g*h\u0007.jpg', 'report', 'md')).toBe('a_b_c_d_e_f_g_h_-report.md');
    expect(exportFileName('trip/dusk. .jpg', 'report', 'md')).toBe('dusk-report.md');
    expect(exportFileName('CON.jpg', 'report', 'md')).toBe('CON_-report.md');
    const long = exportFileName(`${'日'.repeat(100)}.jpg`, 'report', 'md');
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(255);
    expect(long).toMatch(/^日+-report\.md$/);
  });

  const hostile: ReportInput = {
    ...input,
    fileName: 'x\n# Injected heading\n<script>alert(1)</script>\n[click](javascript:alert(1)) *bold* `code` | a |',
    critique: '- not a list\n1. not a list\n<img src=x onerror=alert(1)>\n[link](javascript:alert(1))',
  };

  it('Markdown escapes every user string: no injected heading, HTML, link, emphasis or list', () => {
    const md = buildMarkdownReport(hostile);
    expect(md.match(/^#/gm)).toHaveLength(1 + 7); // the title and the six sections, nothing injected
    expect(md).not.toMatch(/(^|[^\\])<(script|img)/m);
    expect(md).not.toMatch(/(^|[^\\])\[(click|link)\]/m);
    expect(md).not.toMatch(/(^|[^\\])\*bold/m);
    expect(md).not.toMatch(/(^|[^\\])`code/m);
    expect(md).not.toMatch(/(^|[^\\])\| a/m);
    expect(md).toContain('> \\- not a list\n> 1\\. not a list');
    // Unescaping the title gives the name back (newlines as spaces): nothing is lost but line breaks.
    const title = md
      .split('\n')[0]!
      .replace(/^# AesLens report: /, '')
      .replace(/\\(.)/g, '$1');
    expect(title).toBe(hostile.fileName.replace(/\n/g, ' '));
  });

  it('JSON keeps every user string exactly', () => {
    const r = JSON.parse(JSON.stringify(buildJsonReport(hostile))) as ReturnType<typeof buildJsonReport>;
    expect(r.file.name).toBe(hostile.fileName);
    expect(r.critique.text).toBe(hostile.critique);
  });
});
