// The element types a critic's sessions must have when loaded from the real exports' forms (the oracle
// for the Node and browser checks of every dtype set).
import type { CriticDtype } from '../packs/critic.ts';
import type { SessionTypes } from '../critic/types.ts';

/**
 * `actual` with every type replaced by the real exports' one: half-precision files keep float32 inputs
 * and outputs (keep_io_types), except the KV cache of a half-precision decoder, which is float16; ids,
 * masks and positions keep their integer or boolean types.
 */
export function realExportTypes(
  actual: Record<string, SessionTypes>,
  decoder: CriticDtype,
): Record<string, SessionTypes> {
  const cache = decoder === 'fp16' || decoder === 'q4f16' ? 'float16' : 'float32';
  const expected = (name: string, type: string) =>
    /^(past_key_values|present)\./.test(name) ? cache : type.startsWith('float') ? 'float32' : type;
  const map = (types: Record<string, string>) =>
    Object.fromEntries(Object.entries(types).map(([name, type]) => [name, expected(name, type)]));
  return Object.fromEntries(
    Object.entries(actual).map(([session, t]) => [session, { inputs: map(t.inputs), outputs: map(t.outputs) }]),
  );
}
