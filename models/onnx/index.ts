export * from './model.ts';
export * from './tensor.ts';
export * from './builder.ts';
export * from './graph.ts';
export * from './shapes.ts';
export * from './external.ts';
export * from './autodiff.ts';
export * from './simplify.ts';
