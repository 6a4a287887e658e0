// VJPs of element-wise ops (broadcasting binaries, activations).
import { attrFloat, attrString } from '../attrs.ts';
import type { Dim } from '../modelProto.ts';
import type { GradRule } from './rule.ts';
import type { GradEmitter } from './emitter.ts';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_TANH_C = 0.044715;

function outShape(e: GradEmitter, t: string): Dim[] {
  return e.shape(t);
}

const add: GradRule = (e, n, [gy], need) => {
  const s = outShape(e, n.output[0]!);
  return n.input.map((x, k) => (need[k] ? e.unbroadcast(gy!, s, x) : undefined));
};

const sub: GradRule = (e, n, [gy], need) => {
  const s = outShape(e, n.output[0]!);
  return [
    need[0] ? e.unbroadcast(gy!, s, n.input[0]!) : undefined,
    need[1] ? e.unbroadcast(e.neg(gy!), s, n.input[1]!) : undefined,
  ];
};

const mul: GradRule = (e, n, [gy], need) => {
  const [a, b] = n.input as [string, string];
  const s = outShape(e, n.output[0]!);
  return [
    need[0] ? e.unbroadcast(e.mul(gy!, b), s, a) : undefined,
    need[1] ? e.unbroadcast(e.mul(gy!, a), s, b) : undefined,
  ];
};

const div: GradRule = (e, n, [gy], need) => {
  const [a, b] = n.input as [string, string];
  const out = n.output[0]!;
  const s = outShape(e, out);
  const ga = need[0] || need[1] ? e.div(gy!, b) : undefined;
  return [
    need[0] ? e.unbroadcast(ga!, s, a) : undefined,
    // d(a/b)/db = -(a/b)/b
    need[1] ? e.unbroadcast(e.neg(e.mul(ga!, out)), s, b) : undefined,
  ];
};

const pow: GradRule = (e, n, [gy], need) => {
  const [a, b] = n.input as [string, string];
  const out = n.output[0]!;
  const s = outShape(e, out);
  const bf = e.elemType(b) === e.dtype ? b : e.cast(b, e.dtype);
  return [
    need[0] ? e.unbroadcast(e.mul(gy!, e.mul(bf, e.op('Pow', [a, e.sub(bf, e.k(1))]))), s, a) : undefined,
    need[1] ? e.unbroadcast(e.mul(gy!, e.mul(out, e.op('Log', [a]))), s, b) : undefined,
  ];
};

const sum: GradRule = (e, n, [gy], need) => {
  const s = outShape(e, n.output[0]!);
  return n.input.map((x, k) => (need[k] ? e.unbroadcast(gy!, s, x) : undefined));
};

/** Rules of the form gx = gy * f'(x, y) for single-input ops. */
function unary(derivative: (e: GradEmitter, x: string, y: string) => string): GradRule {
  return (e, n, [gy]) => [e.mul(gy!, derivative(e, n.input[0]!, n.output[0]!))];
}

const neg: GradRule = (e, _n, [gy]) => [e.neg(gy!)];
const identity: GradRule = (_e, _n, [gy]) => [gy];

const relu: GradRule = (e, n, [gy]) => [e.op('Where', [e.op('Greater', [n.input[0]!, e.k(0)]), gy!, e.k(0)])];

const leakyRelu: GradRule = (e, n, [gy]) => {
  const alpha = attrFloat(n, 'alpha', 0.01);
  return [e.op('Where', [e.op('Greater', [n.input[0]!, e.k(0)]), gy!, e.mul(gy!, e.k(alpha))])];
};

const clip: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  // Opset < 11 carries min/max as attributes; later as optional inputs.
  const lo = n.input[1] || (n.attribute.some((a) => a.name === 'min') ? e.k(attrFloat(n, 'min', 0)) : '');
  const hi = n.input[2] || (n.attribute.some((a) => a.name === 'max') ? e.k(attrFloat(n, 'max', 0)) : '');
  let g = gy!;
  if (lo) g = e.op('Where', [e.op('Less', [x, lo]), e.k(0), g]);
  if (hi) g = e.op('Where', [e.op('Greater', [x, hi]), e.k(0), g]);
  return [g];
};

const sigmoid = unary((e, _x, y) => e.mul(y, e.sub(e.k(1), y)));
const tanh = unary((e, _x, y) => e.sub(e.k(1), e.mul(y, y)));
const exp = unary((_e, _x, y) => y);
const sqrt: GradRule = (e, n, [gy]) => [e.div(e.mul(gy!, e.k(0.5)), n.output[0]!)];
const log: GradRule = (e, n, [gy]) => [e.div(gy!, n.input[0]!)];
const reciprocal = unary((e, _x, y) => e.neg(e.mul(y, y)));
const erf = unary((e, x) => e.mul(e.k(2 / Math.sqrt(Math.PI)), e.op('Exp', [e.neg(e.mul(x, x))])));

/** d/dx of x·Φ(x) with Φ the normal CDF: Φ(x) + x·φ(x). */
function geluErfDerivative(e: GradEmitter, x: string): string {
  const cdf = e.mul(e.k(0.5), e.add(e.k(1), e.op('Erf', [e.mul(x, e.k(INV_SQRT_2))])));
  const pdf = e.mul(e.k(INV_SQRT_2PI), e.op('Exp', [e.mul(e.mul(x, x), e.k(-0.5))]));
  return e.add(cdf, e.mul(x, pdf));
}

/** d/dx of 0.5·x·(1 + tanh(√(2/π)(x + c·x³))). */
function geluTanhDerivative(e: GradEmitter, x: string): string {
  const x2 = e.mul(x, x);
  const inner = e.mul(e.k(SQRT_2_OVER_PI), e.add(x, e.mul(e.k(GELU_TANH_C), e.mul(x2, x))));
  const t = e.op('Tanh', [inner]);
  const dInner = e.mul(e.k(SQRT_2_OVER_PI), e.add(e.k(1), e.mul(e.k(3 * GELU_TANH_C), x2)));
  const sech2 = e.sub(e.k(1), e.mul(t, t));
  return e.add(e.mul(e.k(0.5), e.add(e.k(1), t)), e.mul(e.mul(e.k(0.5), x), e.mul(sech2, dInner)));
}

const gelu: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const d = attrString(n, 'approximate', 'none') === 'tanh' ? geluTanhDerivative(e, x) : geluErfDerivative(e, x);
  return [e.mul(gy!, d)];
};

/** com.microsoft Gelu-family ops with an optional bias added first (BiasGelu, FastGelu). */
function biasedGelu(derivative: (e: GradEmitter, x: string) => string): GradRule {
  return (e, n, [gy], need) => {
    const [x, bias] = n.input as [string, string | undefined];
    const pre = bias ? e.add(x, bias) : x;
    const gx = e.mul(gy!, derivative(e, pre));
    const s = outShape(e, n.output[0]!);
    return [need[0] ? e.unbroadcast(gx, s, x) : undefined, bias && need[1] ? e.unbroadcast(gx, s, bias) : undefined];
  };
}

/** x·σ(αx): σ + αxσ(1-σ). */
const quickGelu: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const alpha = attrFloat(n, 'alpha', 1.702);
  const s = e.op('Sigmoid', [e.mul(x, e.k(alpha))]);
  const d = e.add(s, e.mul(e.mul(e.k(alpha), x), e.mul(s, e.sub(e.k(1), s))));
  return [e.mul(gy!, d)];
};

/** Keeps `g` where αx + β lies strictly inside (0, 1), the linear segment of HardSigmoid (nested Where: no And on WebGPU). */
function insideHardSigmoid(e: GradEmitter, x: string, alpha: number, beta: number, g: string): string {
  const lin = e.add(e.mul(x, e.k(alpha)), e.k(beta));
  const belowOne = e.op('Where', [e.op('Less', [lin, e.k(1)]), g, e.k(0)]);
  return e.op('Where', [e.op('Greater', [lin, e.k(0)]), belowOne, e.k(0)]);
}

const hardSigmoid: GradRule = (e, n, [gy]) => {
  const alpha = attrFloat(n, 'alpha', 0.2);
  return [insideHardSigmoid(e, n.input[0]!, alpha, attrFloat(n, 'beta', 0.5), e.mul(gy!, e.k(alpha)))];
};

/** x·HardSigmoid(x) with α = 1/6, β = 1/2: d = hs(x) + x/6 inside (-3, 3). */
const hardSwish: GradRule = (e, n, [gy]) => {
  const x = n.input[0]!;
  const hs = e.op('HardSigmoid', [x], { alpha: { type: 'float', value: 1 / 6 }, beta: { type: 'float', value: 0.5 } });
  const d = e.add(hs, insideHardSigmoid(e, x, 1 / 6, 0.5, e.mul(x, e.k(1 / 6))));
  return [e.mul(gy!, d)];
};

const abs: GradRule = (e, n, [gy]) => [e.op('Where', [e.op('Less', [n.input[0]!, e.k(0)]), e.neg(gy!), gy!])];

/** Binary Max/Min: the gradient goes to the selected operand (the first one on ties). */
function selectRule(compare: 'Less' | 'Greater'): GradRule {
  return (e, n, [gy], need) => {
    if (n.input.length !== 2) throw e.error('only the two-input form is supported');
    const [a, b] = n.input as [string, string];
    const s = outShape(e, n.output[0]!);
    const bWins = e.op(compare, [a, b]);
    return [
      need[0] ? e.unbroadcast(e.op('Where', [bWins, e.k(0), gy!]), s, a) : undefined,
      need[1] ? e.unbroadcast(e.op('Where', [bWins, gy!, e.k(0)]), s, b) : undefined,
    ];
  };
}

const softplus = unary((e, x) => e.op('Sigmoid', [x]));

export const ELEMENTWISE_RULES: Record<string, GradRule> = {
  Add: add,
  Sub: sub,
  Mul: mul,
  Div: div,
  Pow: pow,
  Sum: sum,
  Neg: neg,
  Identity: identity,
  Relu: relu,
  LeakyRelu: leakyRelu,
  Clip: clip,
  Sigmoid: sigmoid,
  Tanh: tanh,
  Exp: exp,
  Log: log,
  Sqrt: sqrt,
  Reciprocal: reciprocal,
  Erf: erf,
  Abs: abs,
  Max: selectRule('Less'),
  Min: selectRule('Greater'),
  Softplus: softplus,
  HardSigmoid: hardSigmoid,
  HardSwish: hardSwish,
  Gelu: gelu,
  'com.microsoft.Gelu': biasedGelu(geluErfDerivative),
  'com.microsoft.BiasGelu': biasedGelu(geluErfDerivative),
  'com.microsoft.FastGelu': biasedGelu(geluTanhDerivative),
  'com.microsoft.QuickGelu': quickGelu,
};
