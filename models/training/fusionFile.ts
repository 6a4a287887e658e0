// Trained fusion weights as `iasvit/fusion.safetensors` (models/vit/README.md names) with the
// training record in its metadata, and training checkpoints (weights + AdamW moments + step).
import {
  readSafetensors,
  tensorToFloat32Values,
  writeSafetensors,
  type SafetensorsInput,
} from '../safetensors/safetensors.ts';
import type { AdamState } from './optimizer.ts';
import type { TrainableFusion } from './trainableFusion.ts';
import type { TrainState } from './trainer.ts';

/** Path of the trained weights inside a pack / output folder. */
export const TRAINED_FUSION_FILE = 'iasvit/fusion.safetensors';

export interface TrainingRecord {
  basePack: string;
  baseRevision: string;
  dataset: string;
  steps: number;
  trainLoss: number;
  valLoss: number | null;
}

/** Metadata keys of a trained fusion file (besides `heads` and `ln_eps`, which the builder reads). */
export function trainingMetadata(fusion: TrainableFusion, rec: TrainingRecord): Record<string, string> {
  return {
    heads: String(fusion.heads),
    ln_eps: String(fusion.lnEps),
    trained: 'true',
    base_pack: rec.basePack,
    base_revision: rec.baseRevision,
    dataset: rec.dataset,
    steps: String(rec.steps),
    train_loss: String(rec.trainLoss),
    val_loss: rec.valLoss === null ? '' : String(rec.valLoss),
  };
}

function tensors(
  fusion: TrainableFusion,
  values: ReadonlyMap<string, Float32Array>,
  prefix = '',
): Record<string, SafetensorsInput> {
  return Object.fromEntries(
    fusion.params.map((p) => [
      `${prefix}${p.name}`,
      { dtype: 'F32' as const, shape: p.dims, data: values.get(p.name)! },
    ]),
  );
}

export function fusionSafetensors(fusion: TrainableFusion, state: TrainState, rec: TrainingRecord): Uint8Array {
  return writeSafetensors(tensors(fusion, state.params), trainingMetadata(fusion, rec));
}

const MOMENT_1 = 'adam.m/';
const MOMENT_2 = 'adam.v/';

/** A checkpoint: the weights under their own names, the AdamW moments prefixed, the step and config in metadata. */
export function checkpointBytes(fusion: TrainableFusion, state: TrainState, config: unknown): Uint8Array {
  return writeSafetensors(
    {
      ...tensors(fusion, state.params),
      ...tensors(fusion, state.adam.m, MOMENT_1),
      ...tensors(fusion, state.adam.v, MOMENT_2),
    },
    {
      step: String(state.adam.step),
      train_loss: String(state.trainLoss),
      val_loss: state.valLoss === null ? '' : String(state.valLoss),
      config: JSON.stringify(config),
    },
  );
}

export function readCheckpoint(fusion: TrainableFusion, bytes: Uint8Array): { state: TrainState; config: unknown } {
  const file = readSafetensors(bytes);
  const get = (name: string, dims: number[]) => {
    const t = file.tensors.get(name);
    if (!t || t.shape.join(',') !== dims.join(','))
      throw new Error(`The checkpoint does not match this training graph: "${name}" is missing or has another shape`);
    return Float32Array.from(tensorToFloat32Values(t));
  };
  const load = (prefix: string) => new Map(fusion.params.map((p) => [p.name, get(`${prefix}${p.name}`, p.dims)]));
  const meta = file.metadata;
  const adam: AdamState = { step: Number(meta.step), m: load(MOMENT_1), v: load(MOMENT_2) };
  if (!Number.isInteger(adam.step)) throw new Error('The checkpoint has no step count');
  return {
    state: {
      params: load(''),
      adam,
      trainLoss: Number(meta.train_loss),
      valLoss: meta.val_loss ? Number(meta.val_loss) : null,
    },
    config: JSON.parse(meta.config ?? 'null') as unknown,
  };
}
