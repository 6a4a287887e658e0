import { describe, expect, it } from 'vitest';
import { fromFloat32, readSafetensors, tensorToFloat32Values, tensorValues, writeSafetensors } from './safetensors.ts';

/** A file assembled by hand from the format description, independent of the writer. */
function handBuiltFile(): Uint8Array {
  const header = JSON.stringify({
    __metadata__: { format: 'pt' },
    w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    id: { dtype: 'I64', shape: [1], data_offsets: [8, 16] },
    h: { dtype: 'F16', shape: [2], data_offsets: [16, 20] },
    b: { dtype: 'BF16', shape: [1, 1], data_offsets: [20, 22] },
  });
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + 22);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const d = 8 + json.length;
  dv.setFloat32(d, 1.5, true);
  dv.setFloat32(d + 4, -2, true);
  dv.setBigInt64(d + 8, 7n, true);
  dv.setUint16(d + 16, 0x3c00, true); // 1.0 in IEEE half
  dv.setUint16(d + 18, 0xc000, true); // -2.0 in IEEE half
  dv.setUint16(d + 20, 0x4040, true); // 3.0 in bfloat16
  return out;
}

describe('safetensors', () => {
  it('reads a hand-built file: dtypes, shapes, metadata', () => {
    const f = readSafetensors(handBuiltFile());
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(Array.from(tensorToFloat32Values(f.tensors.get('w')!))).toEqual([1.5, -2]);
    expect(Array.from(tensorValues(f.tensors.get('id')!) as BigInt64Array)).toEqual([7n]);
    expect(Array.from(tensorToFloat32Values(f.tensors.get('h')!))).toEqual([1, -2]);
    const b = f.tensors.get('b')!;
    expect(b.shape).toEqual([1, 1]);
    expect(Array.from(tensorToFloat32Values(b))).toEqual([3]);
  });

  it('round-trips every dtype and returns views into the file when aligned', () => {
    const w = Float32Array.from({ length: 12 }, (_, i) => i * 0.25 - 1);
    const bytes = writeSafetensors(
      {
        'a.weight': fromFloat32(w, [3, 4]),
        'a.half': fromFloat32(Float32Array.of(0.5, -3, 1024), [3], 'F16'),
        'a.bf': fromFloat32(Float32Array.of(1, -0.15625, 256), [3], 'BF16'),
        steps: { dtype: 'I64', shape: [2], data: BigInt64Array.of(-1n, 1n << 40n) },
      },
      { heads: '2' },
    );
    expect(new DataView(bytes.buffer).getBigUint64(0, true) % 8n).toBe(0n);
    const f = readSafetensors(bytes);
    expect(f.metadata).toEqual({ heads: '2' });
    const a = tensorToFloat32Values(f.tensors.get('a.weight')!);
    expect(a.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(Array.from(a)).toEqual(Array.from(w));
    expect(Array.from(tensorToFloat32Values(f.tensors.get('a.half')!))).toEqual([0.5, -3, 1024]);
    expect(Array.from(tensorToFloat32Values(f.tensors.get('a.bf')!))).toEqual([1, -0.15625, 256]);
    expect(Array.from(tensorValues(f.tensors.get('steps')!) as BigInt64Array)).toEqual([-1n, 1n << 40n]);
  });

  it('copies when the file sits at an unaligned offset', () => {
    const bytes = writeSafetensors({ x: fromFloat32(Float32Array.of(1, 2, 3), [3]) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const f = readSafetensors(shifted.subarray(1));
    expect(Array.from(tensorToFloat32Values(f.tensors.get('x')!))).toEqual([1, 2, 3]);
  });

  it('rounds bfloat16 to nearest even', () => {
    // 1 + 2^-8 is halfway between bfloat16 1 and 1 + 2^-7: ties to even → 1
    const f = readSafetensors(
      writeSafetensors({ x: fromFloat32(Float32Array.of(1 + 2 ** -8, 1 + 3 * 2 ** -8), [2], 'BF16') }),
    );
    expect(Array.from(tensorToFloat32Values(f.tensors.get('x')!))).toEqual([1, 1 + 2 ** -6]);
  });

  it('refuses what is not a safetensors file', () => {
    expect(() => readSafetensors(new Uint8Array(4))).toThrow(/shorter/);
    expect(() => readSafetensors(new TextEncoder().encode('{"a": 1}1234567890'))).toThrow(/Not a safetensors/);
    const bytes = writeSafetensors({ x: fromFloat32(Float32Array.of(1, 2, 3), [3]) });
    const header = new TextDecoder().decode(
      bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))),
    );
    const lying = new TextEncoder().encode(header.replace('[3]', '[4]'));
    const forged = new Uint8Array(bytes);
    forged.set(lying, 8);
    expect(() => readSafetensors(forged)).toThrow(/do not match F32\[4\]/);
  });
});
