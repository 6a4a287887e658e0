import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildClipTower, FIXTURE_CLIP_CONFIG } from '../fixtures/clipTower.ts';
import { buildCnnFixture } from '../fixtures/cnn.ts';
import { readRgba } from '../common/readRgba.node.ts';
import { FIXTURES } from '../fixtures/index.ts';
import { buildIasmModelForPack } from '../iasm/runner.ts';
import { decodeModel, encodeModel } from '../onnx/index.ts';
import { findIasmPack } from '../packs/registry.ts';
import { clipPreprocessReference } from '../testing/clipPreprocessReference.ts';
import { laionScore } from '../testing/iasmReference.node.ts';
import { run } from './iasm.ts';

const GOOD = new URL('../../../shared/photos/good/', import.meta.url).pathname;
const BIN = new URL('../../bin/aeslens.mjs', import.meta.url).pathname;

/** Runs the sub-command in-process, capturing what it prints. */
async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  try {
    const code = await run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('aeslens iasm', () => {
  let dir: string;
  let source: string;
  let built: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aeslens-iasm-'));
    source = join(dir, 'cnn.onnx');
    built = join(dir, 'cnn-iasm.onnx');
    await writeFile(source, encodeModel(buildCnnFixture()));
  });
  afterEach(() => vi.restoreAllMocks());

  it('lists layer outputs, builds a graph with the four outputs, and runs it on real photos', async () => {
    const listed = await cli(['layers', '--model', source]);
    expect(listed.stdout).toContain('/features/relu2/Relu_output_0\tRelu');

    const target = '/features/relu2/Relu_output_0';
    const build = await cli([
      'build',
      '--model',
      source,
      '--target',
      target,
      '--score',
      'expected',
      '--layout',
      'nchw',
      '--output',
      'logits',
      '--mean',
      '0.485,0.456,0.406',
      '--std',
      '0.229,0.224,0.225',
      '--out',
      built,
    ]);
    expect(build.code).toBe(0);
    const model = decodeModel(new Uint8Array(await readFile(built)));
    expect(model.graph.output.map((o) => o.name)).toEqual(['score', 'class_index', 'cam', 'saliency']);

    for (const photo of ['chelsea.png', 'Dune.jpg']) {
      const map = join(dir, `${photo}.map.png`);
      const result = await cli(['run', '--model', built, '--image', join(GOOD, photo), '--json', '--map', map]);
      expect(result.code).toBe(0);
      const json = JSON.parse(result.stdout) as Record<string, number>;
      // Expected score over 10 bins lies in [1, 10]; the map is 14×14 on the target, 224×224 at the input.
      expect(json.score).toBeGreaterThanOrEqual(1);
      expect(json.score).toBeLessThanOrEqual(10);
      expect([json.camWidth, json.camHeight, json.width, json.height]).toEqual([14, 14, 224, 224]);
      const [photoMeta, mapMeta] = await Promise.all([sharp(join(GOOD, photo)).metadata(), sharp(map).metadata()]);
      expect([mapMeta.width, mapMeta.height, mapMeta.format]).toEqual([photoMeta.width, photoMeta.height, 'png']);
    }
  });

  it('runs the fixture pack group by id, and explains user mistakes', async () => {
    const result = await cli(['run', '--pack', 'fixture', '--image', join(GOOD, 'coffee.png')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/LAION aesthetic score \(demo model\): -?\d+\.\d{4} {2}class: 0/);

    const badScore = await cli([
      'build',
      '--model',
      source,
      '--target',
      'x',
      '--score',
      'median',
      '--layout',
      'nchw',
      '--out',
      built,
    ]);
    expect(badScore.code).toBe(2);
    expect(badScore.stderr).toContain('--score must be one of logit, expected, scalar (got "median")');
    const notBuilt = await cli(['run', '--model', source, '--image', join(GOOD, 'coffee.png')]);
    expect(notBuilt.stderr).toMatch(/is not an IASM graph/);
    const notImage = await cli(['run', '--model', built, '--image', join(GOOD, '../bad/not-an-image.jpg')]);
    expect(notImage.stderr).toMatch(/Cannot read image/);
  });

  it('builds a weight-only int8 variant whose score stays close to float32', async () => {
    const clip = join(dir, 'clip.onnx');
    await writeFile(clip, encodeModel(buildClipTower(FIXTURE_CLIP_CONFIG)));
    const common = ['--model', clip, '--target', '/vision_model/encoder/layers.1/Add_1_output_0', '--layout', 'tokens'];
    const head = ['--cls-token', '--laion-head', 'laion-v1-vit-b-16', '--embedding', 'image_embeds', '--size', '224'];
    const scores: number[] = [];
    for (const quantize of [[], ['--quantize', 'int8']]) {
      const out = join(dir, `clip-${quantize.length ? 'int8' : 'fp32'}.onnx`);
      expect((await cli(['build', ...common, ...head, ...quantize, '--out', out])).code).toBe(0);
      const result = await cli(['run', '--model', out, '--image', join(GOOD, 'astronaut.png'), '--json']);
      scores.push((JSON.parse(result.stdout) as { score: number }).score);
    }
    expect(Math.abs(scores[1]! - scores[0]!)).toBeLessThan(0.05);
    expect(scores[1]).not.toBe(scores[0]);
  });

  it("runs a CLIP pack's built graph file with the pack's centre crop, as --pack and the reference do", async () => {
    const pack = findIasmPack('fixture-clip')!;
    const files = await FIXTURES[pack.id]!();
    const graph = join(dir, 'fixture-clip-iasm.onnx');
    await writeFile(graph, await buildIasmModelForPack(pack, async (path) => files[path]!));
    const photo = join(GOOD, 'Dune.jpg');
    const score = async (args: string[]) => {
      const result = await cli(['run', ...args, '--image', photo, '--json']);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { score: number }).score;
    };
    const fromFile = await score(['--model', graph]);
    expect(fromFile).toBeCloseTo(await score(['--pack', pack.id]), 5);
    // The reference predictor: CLIP's preprocessing in float64, the tower, the LAION head.
    const rgba = await readRgba(photo);
    expect(rgba.width).not.toBe(rgba.height);
    const pixels = clipPreprocessReference(rgba.data, rgba.width, rgba.height, 224, pack.input.mean, pack.input.std);
    const session = await ort.InferenceSession.create(files[pack.backbone]!);
    const out = await session.run({
      pixel_values: new ort.Tensor('float32', Float32Array.from(pixels), [1, 3, 224, 224]),
    });
    await session.release();
    expect(Math.abs(fromFile - laionScore(Float64Array.from(out.image_embeds!.data as Float32Array)))).toBeLessThan(
      0.01,
    );
  });

  it('works as the installed `aeslens` command', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      BIN,
      'iasm',
      'run',
      '--model',
      built,
      '--image',
      join(GOOD, 'chelsea.png'),
    ]);
    expect(stdout).toMatch(/^score: \d+\.\d{4} {2}class: \d\nLayerCAM 14×14, saliency 224×224\n$/);
  });
});
