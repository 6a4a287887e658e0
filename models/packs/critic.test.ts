import { describe, expect, it } from 'vitest';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_FUSION, SMOLVLM_FIXTURE_FUSION_BLOCKS } from '../fixtures/smolvlm.ts';
import {
  CRITIC_PACKS,
  CRITIC_SESSIONS,
  criticFilesFor,
  iasvitStatus,
  NO_IASVIT_LABEL,
  onnxFile,
  type CriticBackend,
} from './critic.ts';
import { resolvePackSelection } from './registry.ts';

const BACKENDS: CriticBackend[] = ['webgpu-f16', 'webgpu', 'wasm', 'cpu'];

describe('critic packs', () => {
  it('list every file any backend loads, named as transformers.js requests them', () => {
    expect(onnxFile('decoder_model_merged', 'q4f16')).toBe('onnx/decoder_model_merged_q4f16.onnx');
    expect(onnxFile('vision_encoder', 'q8')).toBe('onnx/vision_encoder_quantized.onnx');
    expect(onnxFile('embed_tokens', 'fp32')).toBe('onnx/embed_tokens.onnx');
    for (const pack of CRITIC_PACKS) {
      const listed = new Set(pack.files.map((f) => f.path));
      for (const backend of BACKENDS) for (const file of criticFilesFor(pack, backend)) expect(listed).toContain(file);
      expect(new Set(pack.files.map((f) => f.path)).size).toBe(pack.files.length);
    }
  });

  it('give WebGPU with shader-f16 half-precision files and WASM 8/4-bit ones for the real models', () => {
    for (const pack of CRITIC_PACKS.filter((p) => !p.fixture)) {
      expect(pack.source.type === 'hub' && pack.source.repo).toBe(pack.modelId);
      expect(Object.values(pack.dtypes['webgpu-f16']).every((d) => d === 'fp16' || d === 'q4f16')).toBe(true);
      expect(Object.values(pack.dtypes.webgpu).every((d) => d === 'fp32' || d === 'q4')).toBe(true);
      expect(Object.values(pack.dtypes.wasm).every((d) => d === 'q8' || d === 'q4')).toBe(true);
    }
    const pinned = CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!;
    expect(pinned.source.type === 'hub' && pinned.source.revision).toMatch(/^[0-9a-f]{40}$/);
  });

  it('the fixture pack names files the fixture generator writes, and is the critic of the "fixture" group', async () => {
    const generated = await generateSmolvlmFixture();
    const fixture = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
    expect(fixture.fixture).toBe(true);
    for (const f of fixture.files) expect(Object.keys(generated)).toContain(f.path);
    for (const backend of BACKENDS) expect(CRITIC_SESSIONS.every((s) => fixture.dtypes[backend][s])).toBe(true);
    expect(resolvePackSelection('fixture').critic.id).toBe('fixture-smolvlm');
    expect(resolvePackSelection('default').critic.id).toBe('smolvlm-256m');
  });

  it('offer IAS-ViT only with fusion weights: none for the real packs, the fixture its seeded untrained ones', () => {
    for (const pack of CRITIC_PACKS.filter((p) => !p.fixture))
      expect(iasvitStatus(pack)).toEqual({ usable: false, label: NO_IASVIT_LABEL });
    const fixture = CRITIC_PACKS.find((p) => p.id === 'fixture-smolvlm')!;
    expect(fixture.iasvit).toEqual({
      fusion: { path: SMOLVLM_FIXTURE_FUSION },
      blocks: SMOLVLM_FIXTURE_FUSION_BLOCKS,
      trained: false,
    });
    expect(fixture.files.map((f) => f.path)).toContain(SMOLVLM_FIXTURE_FUSION);
    const status = iasvitStatus(fixture);
    expect(status.usable).toBe(true);
    expect(status.label).toMatch(/untrained/);
    // Untrained weights outside a fixture pack are never offered.
    expect(iasvitStatus({ ...fixture, fixture: false }).usable).toBe(false);
  });
});
