import { afterAll, describe, expect, it, vi } from 'vitest';
import * as ort from 'onnxruntime-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, decodeModel, encodeModel, GraphBuilder } from '../onnx/index.ts';
import { FUSION_METADATA_KEY } from '../vit/saliencyCrossAttention.ts';
import { buildIdefics3VisionEncoder } from '../vit/idefics3.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { randomFusion, randomIdefics3Weights } from '../vit/random.ts';
import { weightsToSafetensors } from '../vit/weights.ts';
import { run } from './iasvit.ts';
import { testSiglipTower } from '../testing/siglipTower.ts';

const c = testSiglipTower({ hidden: 16, heads: 2, layers: 3, mlp: 32 });
const S = c.grid * c.patch;
const dir = mkdtempSync(join(tmpdir(), 'iasvit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const weights = randomIdefics3Weights(c, 2, 12, 31);
const file = (name: string, bytes?: Uint8Array) => {
  const path = join(dir, name);
  if (bytes) writeFileSync(path, bytes);
  return path;
};

async function features(path: string, withSaliency: boolean): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  const r = mulberry32(32);
  const feeds: Record<string, ort.Tensor> = {
    pixel_values: new ort.Tensor(
      'float32',
      Float32Array.from({ length: 3 * S * S }, () => r() * 2 - 1),
      [1, 1, 3, S, S],
    ),
    pixel_attention_mask: new ort.Tensor('bool', new Uint8Array(S * S).fill(1), [1, 1, S, S]),
  };
  if (withSaliency)
    feeds.saliency = new ort.Tensor(
      'float32',
      Float32Array.from({ length: c.grid * c.grid }, () => r()),
      [1, c.grid, c.grid],
    );
  return (await session.run(feeds)).image_features!.data as Float32Array;
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await run(args), out };
  } finally {
    spy.mockRestore();
  }
}

describe('aeslens iasvit build', () => {
  it('builds from safetensors with zero fusion: equal to the base, and says it is not enhanced', async () => {
    const base = file('base.onnx', encodeModel(buildIdefics3VisionEncoder(weights, c, { scaleFactor: 2 })));
    const { code, out } = await cli([
      'build',
      '--base',
      file('tower.safetensors', weightsToSafetensors(weights)),
      '--heads',
      '2',
      '--fusion',
      'zero',
      '--out',
      file('zero.onnx'),
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/cross-attention in 3 of 3 blocks/);
    expect(out).toMatch(/NOT a saliency-enhanced model/);
    const built = decodeModel(readFileSync(file('zero.onnx')));
    expect(built.graph.input.map((i) => i.name)).toEqual(['pixel_values', 'pixel_attention_mask', 'saliency']);
    expect(built.metadataProps.find((e) => e.key === FUSION_METADATA_KEY)?.value).toBe('zero');
    const want = await features(base, false);
    const got = await features(file('zero.onnx'), true);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-5);
  });

  it('extends an ONNX base with trained fusion weights on the first N blocks', async () => {
    const base = file('base2.onnx', encodeModel(buildIdefics3VisionEncoder(weights, c, { scaleFactor: 2 })));
    const fusion = file(
      'fusion.safetensors',
      weightsToSafetensors(randomFusion(c.hidden, c.grid, false, [0, 1, 2], 33, 4), 'BF16'),
    );
    const { code, out } = await cli([
      'build',
      '--base',
      base,
      '--fusion',
      fusion,
      '--blocks',
      '2',
      '--out',
      file('trained.onnx'),
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/cross-attention in 2 of 3 blocks \[0,1\]/);
    expect(out).toMatch(/fusion: trained weights/);
    const built = decodeModel(readFileSync(file('trained.onnx')));
    expect(built.graph.output.map((o) => o.name)).toEqual(['image_features']);
    expect(built.metadataProps.find((e) => e.key === 'aeslens.iasvit.blocks')?.value).toBe('0,1');
    const want = await features(base, false);
    const got = await features(file('trained.onnx'), true);
    expect(Math.max(...got.map((v, i) => Math.abs(v - want[i]!)))).toBeGreaterThan(1e-3);
  });

  it('explains what is wrong with a base that has no ViT blocks and with bad flags', async () => {
    const b = new GraphBuilder();
    b.input('pixel_values', DataType.FLOAT, [1, 3, 8, 8]);
    b.op('Relu', ['pixel_values'], {}, { output: 'image_features' });
    b.output('image_features');
    const fixture = file('no-blocks.onnx', encodeModel(b.toModel()));
    await expect(run(['build', '--base', fixture, '--fusion', 'zero', '--out', file('x.onnx')])).rejects.toThrow(
      /No ViT blocks found/,
    );
    await expect(
      run(['build', '--base', fixture, '--fusion', 'zero', '--out', file('x.onnx'), '--blocks', 'some']),
    ).rejects.toThrow(/--blocks "some"/);
    expect((await cli(['build', '--base', fixture])).code).toBe(2);
  });
});
