// Structural queries and edits on an ONNX graph: who produces and consumes each tensor,
// topological order, the sub-graph between tensors, dead-node removal, output edits.
import type { GraphProto, NodeProto, ValueInfoProto } from './modelProto.ts';

/** Tensor name -> the node producing it (graph inputs and initializers have none). */
export function producerMap(g: GraphProto): Map<string, NodeProto> {
  const m = new Map<string, NodeProto>();
  for (const n of g.node) for (const o of n.output) if (o) m.set(o, n);
  return m;
}

/** Tensor name -> nodes reading it (a node appears once per tensor even if it reads it twice). */
export function consumerMap(g: GraphProto): Map<string, NodeProto[]> {
  const m = new Map<string, NodeProto[]>();
  for (const n of g.node) {
    for (const i of new Set(n.input)) {
      if (!i) continue;
      const list = m.get(i);
      if (list) list.push(n);
      else m.set(i, [n]);
    }
  }
  return m;
}

/** Nodes ordered so every node comes after the producers of its inputs. Throws on a cycle. */
export function topologicalOrder(g: GraphProto): NodeProto[] {
  const producer = producerMap(g);
  const state = new Map<NodeProto, 1 | 2>(); // 1 = on the stack, 2 = emitted
  const order: NodeProto[] = [];
  for (const root of g.node) {
    if (state.has(root)) continue;
    // Iterative DFS: deep transformer graphs overflow a recursive one.
    const stack: { node: NodeProto; next: number }[] = [{ node: root, next: 0 }];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.input.length) {
        const p = producer.get(top.node.input[top.next++]!);
        if (!p) continue;
        const s = state.get(p);
        if (s === 1) throw new Error(`Graph has a cycle through node "${p.name}" (${p.opType})`);
        if (s === undefined) {
          state.set(p, 1);
          stack.push({ node: p, next: 0 });
        }
      } else {
        state.set(top.node, 2);
        order.push(top.node);
        stack.pop();
      }
    }
  }
  return order;
}

/** Names of every tensor `targets` depend on (including themselves), following producers. */
export function ancestors(g: GraphProto, targets: readonly string[]): Set<string> {
  const producer = producerMap(g);
  const seen = new Set<string>();
  const todo = [...targets];
  while (todo.length) {
    const t = todo.pop()!;
    if (!t || seen.has(t)) continue;
    seen.add(t);
    const p = producer.get(t);
    if (p) todo.push(...p.input);
  }
  return seen;
}

/** Names of every tensor computed from `sources` (including themselves), following consumers. */
export function descendants(g: GraphProto, sources: readonly string[]): Set<string> {
  const consumers = consumerMap(g);
  const seen = new Set<string>();
  const todo = [...sources];
  while (todo.length) {
    const t = todo.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    for (const n of consumers.get(t) ?? []) for (const o of n.output) if (o) todo.push(o);
  }
  return seen;
}

/**
 * Nodes on some path from a tensor in `from` to a tensor in `to`, in topological order:
 * the nodes whose outputs depend on `from` and feed `to`.
 */
export function subgraphBetween(g: GraphProto, from: readonly string[], to: readonly string[]): NodeProto[] {
  const down = descendants(g, from);
  const up = ancestors(g, to);
  return topologicalOrder(g).filter(
    (n) => n.input.some((i) => i && down.has(i)) && n.output.some((o) => o && up.has(o)),
  );
}

/** Removes nodes (and then unused initializers) that no graph output depends on. Returns the count removed. */
export function removeDeadNodes(g: GraphProto): number {
  // Nested graphs (If/Loop bodies) may read outer tensors by name: treat those reads as roots (conservative).
  const nestedReads = g.node.flatMap((n) =>
    n.attribute
      .flatMap((a) => (a.attr.type === 'graph' ? [a.attr.value] : a.attr.type === 'graphs' ? a.attr.value : []))
      .flatMap((sub) => sub.node.flatMap((sn) => sn.input)),
  );
  const live = ancestors(g, [...g.output.map((o) => o.name), ...nestedReads]);
  const before = g.node.length;
  const keep = g.node.filter((n) => n.output.some((o) => o && live.has(o)));
  g.node.splice(0, g.node.length, ...keep);
  const inits = g.initializer.filter((t) => live.has(t.name));
  g.initializer.splice(0, g.initializer.length, ...inits);
  const known = new Set([...keep.flatMap((n) => n.output), ...g.input.map((i) => i.name)]);
  const vi = g.valueInfo.filter((v) => known.has(v.name));
  g.valueInfo.splice(0, g.valueInfo.length, ...vi);
  return before - keep.length;
}

/** Renames a tensor everywhere it appears (producer, consumers, graph inputs/outputs, value infos, initializers). */
export function renameTensor(g: GraphProto, from: string, to: string): void {
  if (from === to) return;
  const taken =
    g.node.some((n) => n.output.includes(to)) ||
    g.input.some((v) => v.name === to) ||
    g.initializer.some((t) => t.name === to);
  if (taken) throw new Error(`Cannot rename "${from}" to "${to}": the name is already used`);
  for (const n of g.node) {
    n.input = n.input.map((i) => (i === from ? to : i));
    n.output = n.output.map((o) => (o === from ? to : o));
  }
  for (const list of [g.input, g.output, g.valueInfo]) for (const v of list) if (v.name === from) v.name = to;
  for (const t of g.initializer) if (t.name === from) t.name = to;
}

/** Makes `name` a graph output (no-op if it already is). Type and shape are optional. */
export function addOutput(g: GraphProto, name: string, info: Omit<ValueInfoProto, 'name'> = {}): void {
  if (g.output.some((o) => o.name === name)) return;
  const exists =
    g.node.some((n) => n.output.includes(name)) ||
    g.input.some((v) => v.name === name) ||
    g.initializer.some((t) => t.name === name);
  if (!exists) throw new Error(`Cannot add output "${name}": no such tensor in the graph`);
  g.output.push({ name, ...info });
}

/** Replaces the graph outputs by `names` (in order), keeping known type info. */
export function setOutputs(g: GraphProto, names: readonly string[]): void {
  const previous = new Map([...g.valueInfo, ...g.output].map((v) => [v.name, v]));
  const outs = names.map((n) => previous.get(n) ?? { name: n });
  g.output.splice(0, g.output.length);
  for (const o of outs) addOutput(g, o.name, o);
}
