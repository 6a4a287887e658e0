// Writes saliency-guided critiques with a loaded critic: crops and grounding line, chat template,
// image processing, streamed generation with stop, and timings.
import type * as Transformers from '@huggingface/transformers';
import { GROUNDING_TOKENS, groundingSentence } from '../attributes/readings.ts';
import type { CriticBackend, CriticPack, SessionDtypes } from '../packs/critic.ts';
import { SALIENCY_INPUT } from '../vit/saliencyCrossAttention.ts';
import { saliencyFrames, WHOLE_FRAME } from '../vit/pack.ts';
import { groundingLine, salientCrops, type SaliencyMap } from './crops.ts';
import { IasVitInputError } from './iasVisionEncoder.ts';
import { cropRgba, letterboxedRegion, letterboxFor, letterboxRgba, type RgbaImage } from './image.ts';
import type {
  Critic,
  CriticFallback,
  CritiqueOptions,
  CritiqueResult,
  SessionTypes,
  TransformersModule,
} from './types.ts';

/** What ONNX Runtime says about one input or output of a session. */
type ValueMetadata = { name: string; isTensor: true; type: string } | { name: string; isTensor: false };

export type Processor = Awaited<ReturnType<TransformersModule['AutoProcessor']['from_pretrained']>>;
export type Model = Awaited<ReturnType<TransformersModule['AutoModelForImageTextToText']['from_pretrained']>>;

export class LoadedCritic implements Critic {
  private disposed = false;
  private busy = false;

  constructor(
    private readonly transformers: TransformersModule,
    readonly pack: CriticPack,
    readonly backend: CriticBackend,
    readonly dtypes: SessionDtypes,
    readonly files: string[],
    /** The IAS-ViT encoder's saliency grid, when the vision encoder is IAS-ViT. */
    private readonly ias: { grid: [number, number] } | null,
    private readonly processor: Processor,
    private readonly model: Model,
    readonly fallback: CriticFallback | null,
  ) {}

  sessionTypes(): Record<string, SessionTypes> {
    const types = (metadata: readonly ValueMetadata[]) =>
      Object.fromEntries(metadata.map((m) => [m.name, m.isTensor ? m.type : 'non-tensor']));
    const sessions = this.model.sessions as Record<
      string,
      { inputMetadata: ValueMetadata[]; outputMetadata: ValueMetadata[] }
    >;
    return Object.fromEntries(
      Object.entries(sessions).map(([name, s]) => [
        name,
        { inputs: types(s.inputMetadata), outputs: types(s.outputMetadata) },
      ]),
    );
  }

  /** A half-precision set that overflows on this device gives NaN or infinite logits. */
  async firstStepProblem(): Promise<string | null> {
    const inputs = this.processor.tokenizer!('Describe the photo.') as Record<string, Transformers.Tensor>;
    const outputs = (await this.model(inputs)) as Record<string, unknown>;
    try {
      const logits = (outputs.logits as Transformers.Tensor).data as Float32Array;
      const bad = logits.findIndex((v) => !Number.isFinite(v));
      return bad < 0 ? null : `the first decoding step gave ${String(logits[bad])} logits`;
    } finally {
      for (const value of Object.values(outputs)) await disposeAll(value);
    }
  }

  get iasvit(): boolean {
    return this.ias !== null;
  }

  async critique(
    image: RgbaImage,
    saliency: SaliencyMap | null,
    options: CritiqueOptions = {},
  ): Promise<CritiqueResult> {
    if (this.disposed) throw new Error('This critic has been disposed');
    if (this.busy) throw new Error('The critic is already writing a critique; wait for it or stop it first');
    this.busy = true;
    try {
      return await this.run(image, saliency, options);
    } finally {
      this.busy = false;
    }
  }

  private async run(image: RgbaImage, saliency: SaliencyMap | null, options: CritiqueOptions): Promise<CritiqueResult> {
    const t = this.transformers;
    if (this.ias && !saliency)
      throw new IasVitInputError("The IAS-ViT encoder needs the photo's saliency map; none was given.");
    if (this.ias && options.splitImages)
      throw new IasVitInputError(
        'The IAS-ViT encoder takes one 512² frame per image: image splitting is not supported.',
      );
    const start = performance.now();
    const stopper = new t.InterruptableStoppingCriteria();
    const onAbort = () => stopper.interrupt();
    if (options.signal?.aborted) stopper.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const crops =
      options.guidance !== false && saliency
        ? salientCrops(saliency, {
            imageWidth: image.width,
            imageHeight: image.height,
            maxCrops: options.maxCrops ?? 2,
          })
        : [];
    // Each view (the photo, then each crop) letterboxed so that its processor never scales a side to 0.
    const plain = [image, ...crops.map((c) => cropRgba(image, c))];
    const boxes = plain.map((v) => letterboxFor(v.width, v.height));
    const views = plain.map((v, i) => {
      const padded = letterboxRgba(v, boxes[i]);
      return new t.RawImage(padded.data, padded.width, padded.height, 4);
    });
    const tokenizer = this.processor.tokenizer!;
    const facts = options.facts?.length
      ? groundingSentence(
          options.facts,
          GROUNDING_TOKENS,
          (s) => tokenizer.encode(s, { add_special_tokens: false }).length,
        )
      : '';
    const prompt = [groundingLine(crops), this.pack.prompt, facts].filter(Boolean).join(' ');
    const messages = [
      {
        role: 'user',
        content: [...views.map(() => ({ type: 'image' })), { type: 'text', text: prompt }],
      },
    ];
    const text = this.processor.apply_chat_template(messages, { add_generation_prompt: true }) as string;
    const inputs = await this.processImages(text, views, options.splitImages ?? false);
    // IAS-ViT: the map laid out on each frame's patch grid, frames in image order (photo, then crops).
    const regions = [WHOLE_FRAME, ...crops].map((r, i) => letterboxedRegion(r, plain[i]!, boxes[i]!));
    const frames = this.ias && saliency ? saliencyFrames(saliency, regions, this.ias.grid) : null;
    const saliencyInput = frames ? { [SALIENCY_INPUT]: new t.Tensor('float32', frames.data, frames.dims) } : {};
    const inputIds = inputs.input_ids as Transformers.Tensor;
    const promptTokens = inputIds.dims.at(-1)!;
    const imageTokenId = this.model.config['image_token_id' as keyof typeof this.model.config] as unknown as number;
    const imageTokens = (inputIds.data as BigInt64Array).reduce(
      (n, id) => (Number(id) === imageTokenId ? n + 1 : n),
      0,
    );
    const preprocessed = performance.now();

    const tokenTimes: number[] = [];
    const streamer = new t.TextStreamer(this.processor.tokenizer!, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => options.onToken?.(piece, tokenTimes.length),
      token_callback_function: () => {
        tokenTimes.push(performance.now());
      },
    });
    // We own the KV cache (passing one keeps transformers.js from returning it) and release it below,
    // so nothing of this photo outlives the call.
    const cache = new t.DynamicCache();
    const maxNewTokens = options.maxNewTokens ?? this.pack.generation.maxNewTokens;
    const eos = this.endOfTurnIds();
    let output: Transformers.Tensor;
    try {
      output = (await this.model.generate({
        ...inputs,
        ...saliencyInput,
        past_key_values: cache,
        max_new_tokens: maxNewTokens,
        eos_token_id: eos,
        do_sample: options.doSample ?? this.pack.generation.doSample,
        repetition_penalty: options.repetitionPenalty ?? this.pack.generation.repetitionPenalty,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        streamer,
        stopping_criteria: [stopper],
      })) as Transformers.Tensor;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await releaseCache(cache);
    }
    const end = performance.now();

    const newIds = output.slice(null, [promptTokens, output.dims.at(-1)!]);
    const decoded = this.processor.batch_decode(newIds, { skip_special_tokens: true })[0] ?? '';
    const tokens = newIds.dims.at(-1)!;
    const lastId = tokens > 0 ? Number((newIds.data as BigInt64Array)[tokens - 1]) : -1;
    const finish = stopper.interrupted ? 'aborted' : eos.includes(lastId) ? 'eos' : 'length';
    const firstTokenAt = tokenTimes[0] ?? 0;
    const decodeMs = firstTokenAt ? end - firstTokenAt : 0;
    const generated = tokenTimes.length;
    return {
      text: decoded.trim(),
      tokens,
      finish,
      crops,
      prompt,
      promptTokens,
      imageTokens,
      timings: {
        preprocessMs: preprocessed - start,
        firstTokenMs: firstTokenAt ? firstTokenAt - preprocessed : end - preprocessed,
        generateMs: end - preprocessed,
        totalMs: end - start,
        tokensPerSecond: generated > 1 && decodeMs > 0 ? ((generated - 1) * 1000) / decodeMs : 0,
        medianTokenMs: medianInterval(tokenTimes),
      },
    };
  }

  /**
   * Token ids that end the assistant's turn: generation_config's eos (which differs between
   * revisions of the SmolVLM repos) plus `<end_of_utterance>`, which the chat template ends turns with.
   */
  private endOfTurnIds(): number[] {
    const configured = (this.model.generation_config as { eos_token_id?: number | number[] } | null)?.eos_token_id;
    const ids = ([] as number[]).concat(configured ?? []);
    const endOfUtterance = this.processor.tokenizer?.convert_tokens_to_ids('<end_of_utterance>');
    if (typeof endOfUtterance === 'number' && !ids.includes(endOfUtterance)) ids.push(endOfUtterance);
    return ids;
  }

  /**
   * Runs the processor. Without splitting every view becomes one 512² frame; the processor would
   * first resize the photo to its `size` (longest edge 2048, meant for tiling), so for that call we
   * resize straight to the frame size instead: same frame, a fraction of the pixel work.
   */
  private async processImages(text: string, views: Transformers.RawImage[], split: boolean) {
    const imageProcessor = this.processor.image_processor as unknown as {
      size: { longest_edge: number };
      max_image_size: { longest_edge: number };
    };
    const size = imageProcessor.size;
    if (!split) imageProcessor.size = { longest_edge: imageProcessor.max_image_size.longest_edge };
    try {
      return await this.processor(text, views, { do_image_splitting: split });
    } finally {
      imageProcessor.size = size;
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.model.dispose();
  }
}

function medianInterval(times: readonly number[]): number {
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return gaps.length ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]! : 0;
}

async function disposeAll(value: unknown): Promise<void> {
  if (!value || typeof value !== 'object') return;
  if ('dispose' in value && typeof value.dispose === 'function') await (value as { dispose(): unknown }).dispose();
}

/** Disposes GPU-resident cache tensors and drops every entry, leaving the cache empty. */
async function releaseCache(cache: Transformers.DynamicCache): Promise<void> {
  await cache.dispose();
  for (const key of Object.keys(cache)) delete (cache as unknown as Record<string, unknown>)[key];
}
