// `aeslens iasvit build`: writes an IAS-ViT vision encoder (base encoder + saliency cross-attention);
// `aeslens iasvit train` (iasvitTrain.ts) trains its fusion weights.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildIasVitEncoder, type BlockSelection } from '../vit/build.ts';
import type { Activation } from '../vit/layers.ts';
import { TRAIN_USAGE } from './iasvitTrainUsage.ts';

export const USAGE = `${TRAIN_USAGE}
Usage: aeslens iasvit build --base <vision_encoder.onnx|weights.safetensors>
                            --fusion <fusion.safetensors|zero> --out <file.onnx>
                            [--blocks all|N|i,j,k] [--heads H] [--cross-heads H]
                            [--activation gelu|gelu_tanh|quick_gelu] [--grid RxC --cls|--no-cls]

  --base        an ONNX vision encoder (inputs and outputs kept; blocks found by their
                "...layers.N.layer_norm2.weight" layer norms), or HF safetensors weights of a
                ViT/CLIP/SigLIP tower (Idefics3/SmolVLM vision_encoder when the connector is present)
  --fusion      trained fusion weights (models/vit/README.md), or "zero": identical to the base,
                marked "aeslens.iasvit.fusion=zero" and never to be presented as saliency-enhanced
  --blocks      blocks with cross-attention: all (default), the first N, or a list of indices
  --heads       self-attention heads of a safetensors tower (default width/64)
  --cross-heads cross-attention heads (default: fusion metadata "heads", else width/64)
`;

function parseBlocks(v: string | undefined): BlockSelection | undefined {
  if (v === undefined || v === 'all') return v;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^\d+(,\d+)*$/.test(v)) return v.split(',').map(Number);
  throw new Error(`--blocks "${v}": expected all, a count, or indices like 0,1,2`);
}

function parseGrid(v: string | undefined): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m) throw new Error(`--grid "${v}": expected RxC, e.g. 32x32`);
  return [Number(m[1]), Number(m[2])];
}

async function readInput(flag: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read --${flag} "${path}"${code === 'ENOENT' ? ': no such file' : `: ${(err as Error).message}`}`,
    );
  }
}

const positive = (name: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} "${v}": expected a positive integer`);
  return n;
};

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'train') return (await import('./iasvitTrain.ts')).run(rest);
  if (sub !== 'build') {
    process.stderr.write(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      base: { type: 'string' },
      fusion: { type: 'string' },
      out: { type: 'string' },
      blocks: { type: 'string' },
      heads: { type: 'string' },
      'cross-heads': { type: 'string' },
      activation: { type: 'string' },
      grid: { type: 'string' },
      cls: { type: 'boolean' },
      'no-cls': { type: 'boolean' },
    },
  });
  if (!values.base || !values.fusion || !values.out) {
    process.stderr.write(`--base, --fusion and --out are required\n\n${USAGE}`);
    return 2;
  }
  const activation = values.activation as Activation | undefined;
  if (activation && !['gelu', 'gelu_tanh', 'quick_gelu'].includes(activation))
    throw new Error(`--activation "${activation}": expected gelu, gelu_tanh or quick_gelu`);
  const grid = parseGrid(values.grid);
  const cls = values.cls ? true : values['no-cls'] ? false : undefined;
  if (grid !== undefined && cls === undefined) throw new Error('--grid needs --cls or --no-cls');
  const start = performance.now();
  const result = buildIasVitEncoder(
    await readInput('base', values.base),
    values.fusion === 'zero' ? 'zero' : await readInput('fusion', values.fusion),
    {
      tower: { heads: positive('heads', values.heads), activation },
      select: parseBlocks(values.blocks),
      crossHeads: positive('cross-heads', values['cross-heads']),
      grid,
      cls,
    },
  );
  await writeFile(values.out, result.bytes);
  const ms = (performance.now() - start).toFixed(0);
  process.stdout.write(
    `${values.out}: IAS-ViT, cross-attention in ${result.blocks.length} of ${result.baseBlocks} blocks ` +
      `[${result.blocks.join(',')}], ${(result.bytes.length / 1e6).toFixed(1)} MB, ${ms} ms\n` +
      (result.fusion === 'trained'
        ? 'fusion: trained weights\n'
        : 'fusion: ZERO — output equals the base encoder; this is NOT a saliency-enhanced model\n'),
  );
  return 0;
}
