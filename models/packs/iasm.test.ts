import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import { clipTargetLayer, IASM_PACKS } from './iasm.ts';
import { resolvePackSelection } from './registry.ts';

describe('IASM packs', () => {
  it('pin the fixture files the generators produce (path, size, sha256)', async () => {
    for (const pack of IASM_PACKS.filter((p) => p.fixture)) {
      const files = await FIXTURES[pack.id]!();
      expect(pack.files.map((f) => f.path)).toEqual(Object.keys(files));
      for (const f of pack.files) {
        const bytes = files[f.path]!;
        expect(f.bytes).toBe(bytes.length);
        expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
      expect(pack.source).toEqual({ type: 'origin', baseUrl: `/models/fixture/${pack.id}/` });
    }
  });

  it('name their backbone among their files, and target a CLIP block with the export naming', () => {
    for (const pack of IASM_PACKS) expect(pack.files.map((f) => f.path)).toContain(pack.backbone);
    const real = IASM_PACKS.find((p) => p.id === 'laion-clip-b16')!;
    expect(real.targets).toEqual(['/vision_model/encoder/layers.10/Add_1_output_0']);
    expect(clipTargetLayer(3)).toBe('/vision_model/encoder/layers.1/Add_1_output_0');
  });

  it('resolve through the pack groups', () => {
    expect(resolvePackSelection('fixture').iasm.id).toBe('fixture-clip');
    expect(resolvePackSelection('default').iasm.id).toBe('laion-clip-b16');
  });
});
