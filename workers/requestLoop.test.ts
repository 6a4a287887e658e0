// serveRequests against a stand-in worker scope: requests run one after another in arrival order;
// 'cancel' fails a request that has not started and aborts one that has; 'test-lose-device' is
// answered during a run.
import { describe, expect, it } from 'vitest';
import type { WorkerResponse } from './protocol.ts';
import { serveRequests } from './requestLoop.ts';

type Req =
  | { id: number; type: 'work'; label: string }
  | { id: number; type: 'cancel'; target: number }
  | { id: number; type: 'test-lose-device' };

interface Run {
  label: string;
  signal: AbortSignal;
  finish(): void;
}

function harness() {
  const scope = { onmessage: null as ((event: MessageEvent) => void) | null };
  const posted: WorkerResponse<null>[] = [];
  const runs: Run[] = [];
  const events: string[] = [];
  let lost = 0;
  serveRequests<Req>(scope as unknown as DedicatedWorkerGlobalScope, {
    post: (response) => posted.push(response),
    loseDevice: () => void lost++,
    handle: (request, signal) =>
      new Promise<void>((resolve) => {
        if (request.type !== 'work') throw new Error(`handle got ${request.type}`);
        events.push(`start ${request.label}`);
        runs.push({
          label: request.label,
          signal,
          finish: () => {
            events.push(`end ${request.label}`);
            resolve();
          },
        });
      }),
  });
  const send = (request: Req): void => scope.onmessage!({ data: request } as MessageEvent);
  return { send, posted, runs, events, lost: () => lost };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('serveRequests', () => {
  it('runs requests one at a time, in the order they arrived', async () => {
    const h = harness();
    h.send({ id: 1, type: 'work', label: 'a' });
    h.send({ id: 2, type: 'work', label: 'b' });
    await tick();
    expect(h.events).toEqual(['start a']);
    h.runs[0]!.finish();
    await tick();
    expect(h.events).toEqual(['start a', 'end a', 'start b']);
    h.runs[1]!.finish();
    await tick();
    expect(h.events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('cancel before a request starts: it fails with cancelled at once and never runs', async () => {
    const h = harness();
    h.send({ id: 1, type: 'work', label: 'a' });
    h.send({ id: 2, type: 'work', label: 'b' });
    h.send({ id: 3, type: 'work', label: 'c' });
    h.send({ id: 4, type: 'cancel', target: 2 });
    expect(h.posted).toEqual([{ id: 2, type: 'error', error: { code: 'cancelled', message: 'cancelled' } }]);
    await tick();
    h.runs[0]!.finish();
    await tick();
    expect(h.events).toEqual(['start a', 'end a', 'start c']);
  });

  it('cancel of the running request aborts its signal and posts nothing for it', async () => {
    const h = harness();
    h.send({ id: 1, type: 'work', label: 'a' });
    await tick();
    h.send({ id: 2, type: 'cancel', target: 1 });
    expect(h.runs[0]!.signal.aborted).toBe(true);
    expect(h.posted).toEqual([]);
    // A cancel for a request that has ended, or never existed, does nothing.
    h.runs[0]!.finish();
    await tick();
    h.send({ id: 3, type: 'cancel', target: 1 });
    h.send({ id: 4, type: 'cancel', target: 99 });
    expect(h.posted).toEqual([]);
  });

  it('test-lose-device is answered while a request runs', async () => {
    const h = harness();
    h.send({ id: 1, type: 'work', label: 'a' });
    await tick();
    h.send({ id: 2, type: 'test-lose-device' });
    expect(h.lost()).toBe(1);
    expect(h.posted).toEqual([{ id: 2, type: 'result', result: null }]);
    expect(h.runs[0]!.signal.aborted).toBe(false);
  });
});
