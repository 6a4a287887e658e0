// Remembers, per device (a GPU adapter's description, or WASM_DEVICE) and critic pack, that the
// half-precision files failed (failed to load or gave NaN/Inf logits), so later loads on this device
// take the known-good float32 set at once. Kept in the Cache API, which workers can use and which
// survives reloads.
const CACHE = 'aeslens-device';
const key = (device: string, packId: string) =>
  `/half-precision-failed/${encodeURIComponent(device)}/${encodeURIComponent(packId)}`;

/** The device label of ONNX Runtime's CPU kernels in this browser (WASM), beside GPU adapters' descriptions. */
export const WASM_DEVICE = 'wasm';

/** Why half precision failed before on this device for this pack, if it did. */
export async function halfPrecisionFailure(device: string, packId: string): Promise<string | undefined> {
  if (typeof caches === 'undefined') return undefined;
  const hit = await (await caches.open(CACHE)).match(key(device, packId));
  return hit ? `half precision failed on this device before: ${await hit.text()}` : undefined;
}

export async function rememberHalfPrecisionFailure(device: string, packId: string, reason: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  await (await caches.open(CACHE)).put(key(device, packId), new Response(reason));
}
