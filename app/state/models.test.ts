import { afterEach, describe, expect, it } from 'vitest';
import { folderIasvit, iasvitStatus } from '../../models/packs/critic.ts';
import { criticIasvitUsable, effectiveCriticPack, useModels } from './models.ts';

afterEach(() => useModels.setState({ localFolders: {}, localIasvit: {} }));

describe('critic packs with fusion weights from a loaded model folder', () => {
  const names = [
    'ias.saliency_embed.weight',
    'ias.blocks.1.cross_attn.q_proj.weight',
    'ias.blocks.0.norm_s.bias',
    'ias.blocks.1.norm_c.weight',
  ];

  it('reads the blocks from the tensor names and takes the weights as trained', () => {
    expect(folderIasvit(names)).toEqual({
      fusion: { path: 'iasvit/fusion.safetensors' },
      blocks: [0, 1],
      trained: true,
    });
  });

  it('offers IAS-ViT for a Hub pack only while a folder with fusion weights is loaded for it', () => {
    expect(criticIasvitUsable('smolvlm-256m')).toBe(false);
    useModels.getState().addLocalFolder('smolvlm-256m', {}, folderIasvit(names));
    expect(criticIasvitUsable('smolvlm-256m')).toBe(true);
    expect(iasvitStatus(effectiveCriticPack('smolvlm-256m')!).label).toBe(
      'IAS-ViT: trained fusion weights (cross-attention in 2 vision blocks)',
    );
    // Loading the same pack's folder again without fusion weights drops them.
    useModels.getState().addLocalFolder('smolvlm-256m', {});
    expect(criticIasvitUsable('smolvlm-256m')).toBe(false);
    expect(effectiveCriticPack('smolvlm-256m')!.iasvit).toBeUndefined();
  });
});

describe('a pack that fails to load', () => {
  it('is remembered per worker until that worker has a session again', () => {
    useModels.getState().setLoadFailed('critic', 'fixture-smolvlm');
    expect(useModels.getState().loadFailed).toEqual({ critic: 'fixture-smolvlm' });
    useModels.getState().setBackend('iasm', { backend: 'wasm' });
    expect(useModels.getState().loadFailed.critic).toBe('fixture-smolvlm');
    useModels.getState().setBackend('critic', { backend: 'wasm' });
    expect(useModels.getState().loadFailed.critic).toBeUndefined();
  });
});
