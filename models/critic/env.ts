// transformers.js keeps its settings in one global `env`; loads take turns so that one load's
// settings never leak into another's.
import type { TransformersModule } from './types.ts';

export type Env = TransformersModule['env'];
export type EnvSettings = Pick<
  Env,
  | 'allowRemoteModels'
  | 'allowLocalModels'
  | 'localModelPath'
  | 'remoteHost'
  | 'remotePathTemplate'
  | 'useCustomCache'
  | 'customCache'
  | 'fetch'
>;

let envTurn: Promise<unknown> = Promise.resolve();

export async function withEnv<T>(env: Env, settings: Partial<EnvSettings>, run: () => Promise<T>): Promise<T> {
  const previous = envTurn;
  let release!: () => void;
  envTurn = new Promise<void>((r) => (release = r));
  await previous;
  const saved: Partial<EnvSettings> = {};
  for (const key of Object.keys(settings) as (keyof EnvSettings)[]) Object.assign(saved, { [key]: env[key] });
  Object.assign(env, settings);
  try {
    return await run();
  } finally {
    Object.assign(env, saved);
    release();
  }
}
