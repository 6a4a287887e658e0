import { describe, expect, it } from 'vitest';
import { generateSmolvlmFixture, SMOLVLM_FIXTURE_FUSION, SMOLVLM_FIXTURE_FUSION_BLOCKS } from '../fixtures/smolvlm.ts';
import {
  CRITIC_PACKS,
  CRITIC_SESSIONS,
  criticDownloadBytes,
  criticExtraBytes,
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
    for (const pack of CRITIC_PACKS.filter((p) => !p.fixture))
      expect(pack.source.type === 'hub' && pack.source.revision).toMatch(/^[0-9a-f]{40}$/);
  });

  it('pin SmolVLM-256M to the commit public projects pin, every file with bytes and sha256', () => {
    const pack = CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!;
    expect(pack.source).toMatchObject({ revision: '7e3e67edbbed1bf9888184d9df282b700a323964' });
    for (const f of pack.files) {
      expect(f.bytes, f.path).toBeGreaterThan(0);
      expect(f.sha256, f.path).toMatch(/^[0-9a-f]{64}$/);
    }
    // Sizes public projects give for this commit (models/critic/README.md, "Pins").
    const bytes = (path: string) => pack.files.find((f) => f.path === path)?.bytes;
    expect(bytes('onnx/decoder_model_merged_q4f16.onnx')).toBe(77_034_560);
    expect(bytes('onnx/vision_encoder_fp16.onnx')).toBe(187_294_693);
    expect(bytes('onnx/embed_tokens_fp16.onnx')).toBe(56_770_946);
    expect(bytes('onnx/decoder_model_merged_q4.onnx')).toBe(86_562_901);
    expect(bytes('tokenizer.json')).toBe(3_548_256);
  });

  it('size each backend by every file it fetches (config and tokenizer too), and what a fallback adds', () => {
    const pack = CRITIC_PACKS.find((p) => p.id === 'smolvlm-256m')!;
    // config 7,353 + generation 136 + preprocessor 486 + processor 68 + tokenizer 3,548,256 + tokenizer_config 28,249
    const config = 3_584_548;
    expect(criticDownloadBytes(pack, 'webgpu-f16')).toEqual({
      bytes: config + 187_294_693 + 56_770_946 + 77_034_560,
      exact: true,
    });
    expect(criticDownloadBytes(pack, 'webgpu')).toEqual({
      bytes: config + 374_316_497 + 113_541_419 + 86_562_901,
      exact: true,
    });
    // WASM after WebGPU: the 8-bit vision encoder and embeddings; the q4 decoder and config are shared.
    expect(criticExtraBytes(pack, 'webgpu', 'wasm')).toBe(94_247_969 + 28_385_824);
    expect(criticExtraBytes(pack, 'webgpu-f16', 'webgpu')).toBe(374_316_497 + 113_541_419 + 86_562_901);
    const unpinned = CRITIC_PACKS.find((p) => p.id === 'smolvlm-500m')!;
    expect(criticDownloadBytes(unpinned, 'webgpu')).toEqual({
      bytes: unpinned.approxDownloadBytes.webgpu,
      exact: false,
    });
    expect(criticExtraBytes(unpinned, 'webgpu', 'wasm')).toBeNull();
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
