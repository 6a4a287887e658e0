// Public API of the critic (used by the critic worker, the CLI and the bench).
export * from './crops.ts';
export * from './errors.ts';
export * from './image.ts';
export * from './lexicon.ts';
export { criticBackend } from '../packs/critic.ts';
export { loadCritic } from './load.ts';
export * from './types.ts';
