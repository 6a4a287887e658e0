export * from './model.ts';
export * from './tensor.ts';
export * from './builder.ts';
