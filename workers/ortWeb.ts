// The one ONNX Runtime Web instance of a worker (transformers.js imports the same module), set up
// to load its wasm from our origin (bundled asset), never a CDN, on one thread: the app runs two
// workers on machines that may have two cores.
import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;

export { ort };
