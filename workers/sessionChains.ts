// transformers.js (4.x) runs every session creation and every session run in the browser on one promise
// chain each (`chain = chain.then(load)`), so a single rejection fails every later creation or run in the
// worker: once half-precision files failed to load, the known-good float32 ones could never load. Here a
// failure resolves the chain with a stand-in that throws the error where the caller first uses it (it sets
// `session.config` on a new session, reads a run's outputs), so the caller still fails with that error
// and the chain goes on.

/** The part of ONNX Runtime's InferenceSession class the chains go through. */
export interface SessionClass {
  create(...args: never[]): Promise<unknown>;
  prototype: { run(...args: never[]): Promise<unknown> };
}

/** An object that throws `error` on any use, except that it is not a thenable (so a promise resolves to it). */
export function failingStandIn(error: unknown): object {
  const fail = (): never => {
    throw error;
  };
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === 'then' ? undefined : fail()),
      set: fail,
      has: fail,
      ownKeys: fail,
      getOwnPropertyDescriptor: fail,
      defineProperty: fail,
      deleteProperty: fail,
    },
  );
}

/** Makes `session`'s create and run resolve failures to stand-ins (see above). */
export function keepSessionChainsGoing(session: SessionClass): void {
  const create = session.create.bind(session);
  session.create = (...args) => create(...args).catch(failingStandIn);
  const run = session.prototype.run;
  session.prototype.run = function (this: unknown, ...args) {
    return run.apply(this, args).catch(failingStandIn);
  };
}
