import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder, encodeModelWithExternalData, decodeModel } from '../onnx/index.ts';
import { formatSummary, summarizeModel } from './onnx.ts';

describe('aeslens onnx inspect', () => {
  it('summarises inputs, outputs, op histogram, parameters, opsets and gradient coverage', () => {
    const b = new GraphBuilder(undefined, { opset: 17 });
    const x = b.input('x', DataType.FLOAT, ['batch', 4]);
    const w = b.constant(new Float32Array(4 * 300), [4, 300], { name: 'w' });
    const h = b.op('Relu', [b.op('MatMul', [x, w])]);
    const y = b.op('Einsum', [b.op('Relu', [h]), b.op('Shape', [h])], { equation: 'ij,j->i' }, { output: 'y' });
    b.output(y, DataType.FLOAT, ['batch']);
    const { model } = encodeModelWithExternalData(b.toModel(), { threshold: 1024, location: 'tiny.onnx.data' });
    const s = summarizeModel(decodeModel(model));
    expect(s.inputs).toEqual([{ name: 'x', type: 'float', shape: ['batch', 4] }]);
    expect(s.outputs).toEqual([{ name: 'y', type: 'float', shape: ['batch'] }]);
    expect(s.ops).toEqual({ Relu: 2, Einsum: 1, MatMul: 1, Shape: 1 });
    expect(Object.keys(s.ops)[0]).toBe('Relu');
    expect(s.parameters).toBe(1200);
    expect(s.parameterBytes).toBe(4800);
    expect(s.externalDataFiles).toEqual(['tiny.onnx.data']);
    expect(s.opsets).toEqual([{ domain: 'ai.onnx', version: 17 }]);
    expect(s.opsWithoutGradient).toEqual(['Einsum']);
    const text = formatSummary(s);
    expect(text).toContain('x: float [batch, 4]');
    expect(text).toContain('Parameters: 1,200');
    expect(text).toContain('Ops without a gradient rule: Einsum');
  });
});
