// `aeslens` command dispatcher. Each sub-command lives in its own module, loaded on demand.
import { messageOf } from '../common/errors.ts';
/** A sub-command module: its usage text (printed for --help / -h) and its entry point. */
export interface CommandModule {
  USAGE: string;
  run(args: string[]): Promise<number>;
}
type Command = { summary: string; load: () => Promise<CommandModule> };

export const COMMANDS: Record<string, Command> = {
  analyse: {
    summary: 'score and measured attributes (exposure, colour, focus, composition) of photos; no critique',
    load: () => import('./analyse.ts'),
  },
  crop: {
    summary: 'suggest crops scored by the aesthetic model and write the best as PNG files (--out <dir>)',
    load: () => import('./crop.ts'),
  },
  eval: {
    summary: 'critique a dataset (resumable, shardable) and score it with the paper metrics',
    load: () => import('./eval.ts'),
  },
  queue: {
    summary: 'batch critique + evaluation on a Redis job queue (BullMQ) across workers and machines',
    load: () => import('./queue.ts'),
  },
  critique: {
    summary: 'score, heatmap PNG and written critique of photos (IASM + VLM critic)',
    load: () => import('./critique.ts'),
  },
  fixtures: { summary: 'write the generated fixture model packs (--out <dir>)', load: () => import('./fixtures.ts') },
  iasm: {
    summary: 'build an IASM graph (score + LayerCAM saliency) or run one on a photo',
    load: () => import('./iasm.ts'),
  },
  iasvit: {
    summary: 'build an IAS-ViT vision encoder (base encoder + saliency cross-attention), or train its fusion weights',
    load: () => import('./iasvit.ts'),
  },
  onnx: {
    summary: 'inspect an ONNX model: inputs, outputs, opsets, op histogram, parameters',
    load: () => import('./onnx.ts'),
  },
  metrics: {
    summary: 'caption metrics (BLEU, METEOR, ROUGE-L, CIDEr, P/R) of candidates vs references',
    load: () => import('./metrics.ts'),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: aeslens <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`aeslens: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    const module = await command.load();
    if (rest.some((a) => a === '--help' || a === '-h')) {
      process.stdout.write(module.USAGE);
      return 0;
    }
    return await module.run(rest);
  } catch (err) {
    process.stderr.write(`aeslens ${name}: ${messageOf(err)}\n`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
