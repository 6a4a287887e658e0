// Arithmetic on tensor dimensions that may be symbolic. A symbolic dim is a string: a
// product of symbol names and an optional integer factor joined by '*' (e.g. "batch*197").
// Anything we cannot express that way becomes a fresh symbol, so it never compares equal.
import type { Dim } from './modelProto.ts';

let freshCounter = 0;
/** A new symbol that equals no other dim. */
export function freshDim(): string {
  return `unk__${++freshCounter}`;
}

interface Factors {
  c: number;
  syms: string[];
}

function factorize(d: Dim): Factors {
  if (typeof d === 'number') return { c: d, syms: [] };
  let c = 1;
  const syms: string[] = [];
  for (const part of d.split('*')) {
    if (/^-?\d+$/.test(part)) c *= Number(part);
    else syms.push(part);
  }
  return { c, syms: syms.sort() };
}

function fromFactors({ c, syms }: Factors): Dim {
  if (!syms.length) return c;
  if (c === 0) return 0;
  return c === 1 ? syms.join('*') : [String(c), ...syms].join('*');
}

export function isStatic(d: Dim | undefined): d is number {
  return typeof d === 'number' && d >= 0;
}

export function mulDims(a: Dim, b: Dim): Dim {
  const fa = factorize(a);
  const fb = factorize(b);
  return fromFactors({ c: fa.c * fb.c, syms: [...fa.syms, ...fb.syms].sort() });
}

/** Exact quotient when it exists symbolically, else a fresh symbol. */
export function divDims(a: Dim, b: Dim): Dim {
  const fa = factorize(a);
  const fb = factorize(b);
  const rest = [...fa.syms];
  for (const s of fb.syms) {
    const i = rest.indexOf(s);
    if (i < 0) return freshDim();
    rest.splice(i, 1);
  }
  if (fb.c === 0 || fa.c % fb.c !== 0) return rest.length || fb.c === 0 ? freshDim() : Math.floor(fa.c / fb.c);
  return fromFactors({ c: fa.c / fb.c, syms: rest });
}

export function addDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (b === 0) return a;
  if (a === 0) return b;
  return freshDim();
}

export function subDims(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  return a === b ? 0 : freshDim();
}

export function productOf(dims: readonly Dim[]): Dim {
  return dims.reduce<Dim>((p, d) => mulDims(p, d), 1);
}

/** Numpy-style broadcast of two shapes. Differing symbols are assumed equal (the first is kept). */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else if (typeof da === 'number' && da >= 0) out.push(da);
    else if (typeof db === 'number' && db >= 0) out.push(db);
    else out.push(da);
  }
  return out;
}
