// Runs a training graph with onnxruntime-node: loss and fusion gradients for one example.
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../onnx/encodeModel.ts';
import type { FeedTensor } from './feeds.ts';
import { LOSS, type TrainingGraph } from './trainingGraph.ts';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface LossAndGradients {
  loss: number;
  /** Fusion parameter name → gradient (same layout as the parameter). */
  gradients: Map<string, Float32Array>;
}

export class TrainingSession {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly graph: TrainingGraph,
    readonly provider: ExecutionProvider,
  ) {}

  /** CUDA where asked for and onnxruntime-node has it; CPU otherwise (`provider` says which). */
  static async create(graph: TrainingGraph, opts: { provider?: ExecutionProvider; threads?: number } = {}) {
    const bytes = encodeModel(graph.model);
    const base: ort.InferenceSession.SessionOptions = {
      // The dequantize + MatMul patterns must stay float: ORT would fuse them into integer kernels.
      extra: { session: { disable_quant_qdq: '1' } },
      ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    };
    if (opts.provider === 'cuda') {
      try {
        return new TrainingSession(
          await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cuda'] }),
          graph,
          'cuda',
        );
      } catch {
        // onnxruntime-node without the CUDA provider (or no GPU): fall through to the CPU.
      }
    }
    return new TrainingSession(await ort.InferenceSession.create(bytes, base), graph, 'cpu');
  }

  async run(feeds: Record<string, FeedTensor>, params: ReadonlyMap<string, Float32Array>): Promise<LossAndGradients> {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds))
      if (this.session.inputNames.includes(name)) inputs[name] = new ort.Tensor(t.type, t.data, t.dims);
    for (const p of this.graph.fusion.params) {
      const data = params.get(p.name);
      if (!data) throw new Error(`No value for the fusion parameter ${p.name}`);
      inputs[p.name] = new ort.Tensor('float32', data, p.dims);
    }
    const out = await this.session.run(inputs);
    const gradients = new Map<string, Float32Array>();
    for (const p of this.graph.fusion.params) {
      const g = out[this.graph.gradients[p.name]!]!;
      gradients.set(p.name, new Float32Array(g.data as Float32Array));
    }
    const loss = Number((out[LOSS]!.data as Float32Array)[0]);
    for (const t of Object.values(out)) t.dispose();
    return { loss, gradients };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
