// Runs a score graph (scoreGraph.ts) on a batch of images with onnxruntime-web or -node.
import type { IasmInputSpec } from '../packs/iasm.ts';
import { createIasmSession, type IasmSessionOptions, type OrtModule } from './runner.ts';
import { SCORE_OUTPUT } from './scoreGraph.ts';

export interface ScoreRunner {
  readonly input: IasmInputSpec;
  /** One score per input (NCHW [3, H, W] values, e.g. preprocessPhoto's `score`); one session run for them all. */
  score(inputs: readonly Float32Array[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export async function createScoreRunner(
  ort: OrtModule,
  modelBytes: Uint8Array,
  pack: { input: IasmInputSpec },
  options: IasmSessionOptions = {},
): Promise<ScoreRunner> {
  const session = await createIasmSession(ort, modelBytes, options);
  const spec = pack.input;
  const plane = 3 * spec.width * spec.height;
  return {
    input: spec,
    async score(inputs) {
      if (inputs.length === 0) return new Float32Array(0);
      const batch = new Float32Array(inputs.length * plane);
      inputs.forEach((input, i) => {
        if (input.length !== plane) throw new Error(`An input has ${input.length} values, expected ${plane}`);
        batch.set(input, i * plane);
      });
      const pixels = new ort.Tensor('float32', batch, [inputs.length, 3, spec.height, spec.width]);
      const out = await session.run({ [spec.name]: pixels });
      pixels.dispose();
      try {
        return Float32Array.from(out[SCORE_OUTPUT]!.data as Float32Array);
      } finally {
        for (const t of Object.values(out)) t.dispose();
      }
    },
    dispose: () => session.release(),
  };
}
