// Usage of `aeslens iasvit train` (its own module: `aeslens iasvit --help` prints it without loading the trainer).
import { CRITIC_PACKS } from '../packs/critic.ts';

export const TRAIN_USAGE = `Usage: aeslens iasvit train --pack <critic id|folder> --data <dataset> --out <folder>
                            [--iasm <id>] [--images <dir>] [--steps N] [--accumulate N] [--lr X]
                            [--weight-decay X] [--warmup-ratio X] [--seed N] [--val-fraction X]
                            [--validate-every N] [--checkpoint-every N] [--resume] [--device cpu|cuda]

  --pack      a SmolVLM-layout critic: a fixture pack id (${CRITIC_PACKS.filter((p) => p.fixture)
    .map((p) => p.id)
    .join(', ')}) or a model folder
              (download a Hub pack's files first, e.g. with huggingface-cli, and pass the folder)
  --data      a dataset as \`aeslens eval\` reads it (PCCD, DPC2022, RPCD, or JSON {image, references})
  --out       the model folder to write: the pack's files plus iasvit/fusion.safetensors (trained: true)
              and iasvit/checkpoint.safetensors; load it with \`aeslens critique --pack <out> --iasvit\`
              or in the app (Models → load a model folder)
  --iasm      the IASM pack whose saliency maps the encoder is trained on (default: the pack group's);
              maps are computed once per photo and cached in <out>/iasvit/saliency/
  --steps     optimiser steps (default: one pass over the training examples)
  --accumulate  examples per step, gradients accumulated (default 8)
  --lr, --weight-decay, --warmup-ratio  AdamW with warmup + cosine decay (default 4e-5, 0.01, 0.03: the paper's)
  --seed      initialisation, example order and validation split (default 0)
  --val-fraction  photos held out for the validation loss (default 0.1)
  --validate-every, --checkpoint-every  steps between validation losses / checkpoints (default 50; 0: at the end)
  --resume    continue from <out>/iasvit/checkpoint.safetensors (same settings)
  --device    cpu (default) or cuda (where onnxruntime-node has the CUDA execution provider)
`;
