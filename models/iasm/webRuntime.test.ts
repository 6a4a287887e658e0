import * as node from 'onnxruntime-node';
import * as web from 'onnxruntime-web';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../fixtures/index.ts';
import { decodeModel } from '../onnx/index.ts';
import { findIasmPack } from '../packs/registry.ts';
import { relativeError } from '../testing/iasmReference.node.ts';
import { buildIasmModelForPack, buildSharedIasmModel, createIasmRunner, type OrtModule } from './runner.ts';

const PHOTO = new URL('../../../shared/photos/good/YellowFlower.jpg', import.meta.url).pathname;

describe('IASM runner in onnxruntime-web (WASM, as the worker runs it)', () => {
  for (const id of ['fixture-clip', 'fixture-cnn']) {
    it(`${id}: every op of the built graph runs, with the backbone's weights as external data, and agrees with onnxruntime-node to 1e-4`, async () => {
      web.env.wasm.numThreads = 1;
      const pack = findIasmPack(id)!;
      const files = await FIXTURES[id]!();
      const bytes = await buildIasmModelForPack(pack, async (path) => files[path]!);
      // As the worker builds it: the backbone's weights read from the backbone file (external data).
      const shared = await buildSharedIasmModel(pack, async (path) => files[path]!);
      const moved = decodeModel(files[pack.backbone]!)
        .graph.initializer.map((t) => t.rawData?.length ?? 0)
        .filter((n) => n >= 1024);
      const movedBytes = moved.reduce((a, b) => a + b, 0);
      expect(shared.model.length).toBeLessThan(bytes.length - movedBytes + 100 * moved.length);
      const { width, height } = pack.input;
      const raw = await sharp(PHOTO).resize(width, height, { fit: 'fill' }).ensureAlpha().raw().toBuffer();
      const image = { data: new Uint8Array(raw.buffer, raw.byteOffset, raw.length), width, height };
      const run = async (ort: OrtModule, executionProviders: string[]) => {
        const runner =
          ort === web
            ? await createIasmRunner(web, shared.model, pack, { executionProviders, externalData: shared.externalData })
            : await createIasmRunner(ort, bytes, pack, { executionProviders });
        try {
          return await runner.run(image);
        } finally {
          await runner.dispose();
        }
      };
      const [inWeb, inNode] = [await run(web, ['wasm']), await run(node, ['cpu'])];
      expect(inWeb.classIndex).toBe(inNode.classIndex);
      expect(Math.abs(inWeb.score - inNode.score)).toBeLessThan(1e-4 * Math.max(1, Math.abs(inNode.score)));
      expect(relativeError(inWeb.cam, inNode.cam)).toBeLessThan(1e-4);
      expect(relativeError(inWeb.saliency, inNode.saliency)).toBeLessThan(1e-4);
    });
  }
});
