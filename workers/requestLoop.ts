// A model worker's message loop: requests run one after another (one session, one run at a time);
// 'cancel' aborts its target, which ends at once if it has not started yet, else at its next check;
// the 'test-lose-device' hook is answered at once, between runs or during one.
import type { WorkerResponse } from './protocol.ts';

type CancelRequest = { id: number; type: 'cancel'; target: number };
type LoseDeviceRequest = { id: number; type: 'test-lose-device' };
type Immediate = CancelRequest | LoseDeviceRequest;

export interface RequestLoop<Req extends { id: number; type: string }> {
  post(response: WorkerResponse<null>): void;
  /** Destroys the GPU device under the worker's sessions, as a driver reset would (test hook). */
  loseDevice(): void;
  handle(request: Exclude<Req, Immediate>, signal: AbortSignal): Promise<void>;
}

export function serveRequests<Req extends { id: number; type: string }>(
  scope: DedicatedWorkerGlobalScope,
  loop: RequestLoop<Req>,
): void {
  const controllers = new Map<number, AbortController>();
  const started = new Set<number>();
  let chain: Promise<void> = Promise.resolve();

  scope.onmessage = (event: MessageEvent<Req | Immediate>) => {
    const request = event.data;
    if (isCancel(request)) {
      const controller = controllers.get(request.target);
      if (!controller) return;
      controller.abort();
      if (!started.has(request.target))
        loop.post({ id: request.target, type: 'error', error: { code: 'cancelled', message: 'cancelled' } });
      return;
    }
    if (isLoseDevice(request)) {
      loop.loseDevice();
      loop.post({ id: request.id, type: 'result', result: null });
      return;
    }
    const queued = request as Exclude<Req, Immediate>;
    const controller = new AbortController();
    controllers.set(queued.id, controller);
    chain = chain
      .then(() => {
        if (controller.signal.aborted) return;
        started.add(queued.id);
        return loop.handle(queued, controller.signal);
      })
      .finally(() => {
        controllers.delete(queued.id);
        started.delete(queued.id);
      });
  };
}

function isCancel(request: { type: string }): request is CancelRequest {
  return request.type === 'cancel';
}

function isLoseDevice(request: { type: string }): request is LoseDeviceRequest {
  return request.type === 'test-lose-device';
}
