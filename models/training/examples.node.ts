// Teacher-forced examples from photos and reference critiques, tokenised by the pack's own
// processor (transformers.js) exactly as the critic prompts it: the chat template with one image
// and the pack's prompt, then the reference critique and the end-of-turn token as the targets.
import { basename, dirname, resolve } from 'node:path';
import * as transformers from '@huggingface/transformers';
import { withEnv } from '../critic/env.ts';
import type { Example } from './feeds.ts';

export interface Rgba {
  data: Uint8Array;
  width: number;
  height: number;
}

type Processor = Awaited<ReturnType<typeof transformers.AutoProcessor.from_pretrained>>;

export class ExampleMaker {
  private constructor(
    private readonly processor: Processor,
    private readonly prompt: string,
    readonly imageTokenId: number,
    private readonly endOfTurn: string,
  ) {}

  /** The processor of the model folder `dir` (read from disk only). */
  static async load(dir: string, prompt: string): Promise<ExampleMaker> {
    const path = resolve(dir);
    const settings = { allowLocalModels: true, allowRemoteModels: false, localModelPath: `${dirname(path)}/` };
    const processor = await withEnv(transformers.env, settings, () =>
      transformers.AutoProcessor.from_pretrained(basename(path)),
    );
    const tokenizer = processor.tokenizer!;
    const imageTokenId = tokenizer.convert_tokens_to_ids('<image>');
    if (typeof imageTokenId !== 'number') throw new Error(`${dir}: the tokenizer has no <image> token`);
    return new ExampleMaker(processor, prompt, imageTokenId, '<end_of_utterance>');
  }

  private async encode(text: string, image: transformers.RawImage) {
    // One frame at the processor's frame size, as the critic runs IAS-ViT (no image splitting).
    const imageProcessor = this.processor.image_processor as unknown as {
      size: { longest_edge: number };
      max_image_size: { longest_edge: number };
    };
    const size = imageProcessor.size;
    imageProcessor.size = { longest_edge: imageProcessor.max_image_size.longest_edge };
    try {
      return (await this.processor(text, [image], { do_image_splitting: false })) as Record<
        string,
        transformers.Tensor
      >;
    } finally {
      imageProcessor.size = size;
    }
  }

  /** The example for `photo` with reference `critique` and the saliency input `saliency` [1, rows, cols]. */
  async make(photo: Rgba, critique: string, saliency: Example['saliency']): Promise<Example> {
    const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: this.prompt }] }];
    const promptText = this.processor.apply_chat_template(messages, { add_generation_prompt: true }) as string;
    const image = new transformers.RawImage(photo.data, photo.width, photo.height, 4);
    const prompt = await this.encode(promptText, image);
    const full = await this.encode(`${promptText} ${critique.trim()}${this.endOfTurn}`, image);
    const promptIds = Array.from(prompt.input_ids!.data as BigInt64Array, Number);
    const ids = Array.from(full.input_ids!.data as BigInt64Array, Number);
    if (promptIds.some((id, i) => ids[i] !== id) || ids.length <= promptIds.length)
      throw new Error('The critique does not tokenise as a continuation of the prompt');
    const pixels = full.pixel_values!;
    return {
      ids,
      targetStart: promptIds.length,
      imageTokenId: this.imageTokenId,
      pixels: { data: pixels.data as Float32Array, dims: [...pixels.dims] },
      saliency,
    };
  }
}
