// Remembers, per GPU adapter and critic pack, that the half-precision files failed (failed to load or
// gave NaN/Inf logits), so later loads on this device take the known-good float32 set at once. Kept in
// the Cache API, which workers can use and which survives reloads.
const CACHE = 'aeslens-device';
const key = (adapter: string, packId: string) =>
  `/half-precision-failed/${encodeURIComponent(adapter)}/${encodeURIComponent(packId)}`;

/** Why half precision failed before on this adapter for this pack, if it did. */
export async function halfPrecisionFailure(adapter: string, packId: string): Promise<string | undefined> {
  if (typeof caches === 'undefined') return undefined;
  const hit = await (await caches.open(CACHE)).match(key(adapter, packId));
  return hit ? `half precision failed on this GPU before: ${await hit.text()}` : undefined;
}

export async function rememberHalfPrecisionFailure(adapter: string, packId: string, reason: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  await (await caches.open(CACHE)).put(key(adapter, packId), new Response(reason));
}
