import { describe, expect, it } from 'vitest';
import { DataType, GraphBuilder } from './index.ts';
import {
  addOutput,
  consumerMap,
  producerMap,
  removeDeadNodes,
  renameTensor,
  setOutputs,
  subgraphBetween,
  topologicalOrder,
} from './graph.ts';

// x -> a=Relu(x) -> b=Neg(a) -> c=Add(a,b) ; d=Sigmoid(x) (dead unless an output)
function diamond() {
  const b = new GraphBuilder();
  const x = b.input('x', DataType.FLOAT, [2]);
  const a = b.op('Relu', [x], {}, { output: 'a' });
  const n = b.op('Neg', [a], {}, { output: 'b' });
  b.op('Add', [a, n], {}, { output: 'c' });
  b.op('Sigmoid', [x], {}, { output: 'd' });
  b.output('c');
  return b.toModel();
}

describe('graph utilities', () => {
  it('maps producers and consumers', () => {
    const g = diamond().graph;
    expect(producerMap(g).get('b')!.opType).toBe('Neg');
    expect(
      consumerMap(g)
        .get('a')!
        .map((n) => n.opType),
    ).toEqual(['Neg', 'Add']);
    expect(
      consumerMap(g)
        .get('x')!
        .map((n) => n.opType),
    ).toEqual(['Relu', 'Sigmoid']);
  });

  it('orders nodes topologically even when stored out of order', () => {
    const g = diamond().graph;
    g.node.reverse();
    const order = topologicalOrder(g).map((n) => n.output[0]);
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('b'));
    expect(order.indexOf('b')).toBeLessThan(order.indexOf('c'));
    expect(order).toHaveLength(4);
  });

  it('detects cycles', () => {
    const g = diamond().graph;
    g.node[0]!.input = ['c'];
    expect(() => topologicalOrder(g)).toThrow(/cycle/);
  });

  it('finds the sub-graph between tensors', () => {
    const g = diamond().graph;
    expect(subgraphBetween(g, ['a'], ['c']).map((n) => n.opType)).toEqual(['Neg', 'Add']);
    expect(subgraphBetween(g, ['x'], ['b']).map((n) => n.opType)).toEqual(['Relu', 'Neg']);
    expect(subgraphBetween(g, ['b'], ['d'])).toEqual([]);
  });

  it('removes dead nodes and unused initializers', () => {
    const m = diamond();
    const b = new GraphBuilder(m);
    const w = b.constant(Float32Array.of(1, 2), [2]);
    b.op('Mul', ['d', w]);
    expect(removeDeadNodes(m.graph)).toBe(2);
    expect(m.graph.node.map((n) => n.opType)).toEqual(['Relu', 'Neg', 'Add']);
    expect(m.graph.initializer).toHaveLength(0);
  });

  it('renames tensors and edits outputs', () => {
    const g = diamond().graph;
    renameTensor(g, 'a', 'act');
    expect(g.node[1]!.input).toEqual(['act']);
    expect(() => renameTensor(g, 'b', 'c')).toThrow(/already used/);
    addOutput(g, 'd', { elemType: DataType.FLOAT, shape: [2] });
    expect(() => addOutput(g, 'nope')).toThrow(/no such tensor/);
    setOutputs(g, ['d', 'b']);
    expect(g.output.map((o) => o.name)).toEqual(['d', 'b']);
    expect(g.output[0]!.shape).toEqual([2]);
  });
});
