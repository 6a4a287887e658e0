import { describe, expect, it } from 'vitest';
import { keepSessionChainsGoing } from './sessionChains.ts';

/** A session class whose create and run fail for the input 'bad', as ONNX Runtime's do for a broken model. */
function fakeSessionClass() {
  class Session {
    config: unknown;
    static create(model: string): Promise<Session> {
      return model === 'bad' ? Promise.reject(new Error('protobuf parsing failed')) : Promise.resolve(new Session());
    }
    run(feed: string): Promise<Record<string, number>> {
      return feed === 'bad' ? Promise.reject(new Error('Unexpected input data type')) : Promise.resolve({ logits: 1 });
    }
  }
  return Session;
}

/** transformers.js' browser code paths: every creation and run goes through one promise chain. */
function transformersLike(Session: ReturnType<typeof fakeSessionClass>) {
  let initChain: Promise<unknown> = Promise.resolve();
  let runChain: Promise<unknown> = Promise.resolve();
  return {
    async create(model: string) {
      const session = (await (initChain = initChain.then(() => Session.create(model)))) as InstanceType<typeof Session>;
      session.config = {};
      return session;
    },
    async run(session: InstanceType<typeof Session>, feed: string) {
      const output = (await (runChain = runChain.then(() => session.run(feed)))) as Record<string, number>;
      return Object.fromEntries(Object.entries(output));
    },
  };
}

describe('session chains', () => {
  it('without the stand-ins, one failed creation fails every later one (the failure the module works around)', async () => {
    const t = transformersLike(fakeSessionClass());
    await expect(t.create('bad')).rejects.toThrow('protobuf parsing failed');
    await expect(t.create('good')).rejects.toThrow('protobuf parsing failed');
  });

  it('a failed creation or run fails with its own error, and later ones succeed', async () => {
    const Session = fakeSessionClass();
    keepSessionChainsGoing(Session as never);
    const t = transformersLike(Session);
    await expect(t.create('bad')).rejects.toThrow('protobuf parsing failed');
    const session = await t.create('good');
    await expect(t.run(session, 'bad')).rejects.toThrow('Unexpected input data type');
    expect(await t.run(session, 'good')).toEqual({ logits: 1 });
  });
});
