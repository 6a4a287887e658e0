// A model worker's message loop: requests run one after another (one session, one run at a time);
// 'cancel' aborts its target, which ends at once if it has not started yet, else at its next check.

type CancelRequest = { id: number; type: 'cancel'; target: number };

export interface RequestLoop<Req extends { id: number; type: string }> {
  /** Posts the 'cancelled' error for a request that never started. */
  postCancelled(id: number): void;
  /** Answers a request at once, outside the queue (test hooks); returns whether it did. */
  immediate?(request: Req): boolean;
  handle(request: Exclude<Req, CancelRequest>, signal: AbortSignal): Promise<void>;
}

export function serveRequests<Req extends { id: number; type: string }>(
  scope: DedicatedWorkerGlobalScope,
  loop: RequestLoop<Req>,
): void {
  const controllers = new Map<number, AbortController>();
  const started = new Set<number>();
  let chain: Promise<void> = Promise.resolve();

  scope.onmessage = (event: MessageEvent<Req | CancelRequest>) => {
    const request = event.data;
    if (isCancel(request)) {
      const controller = controllers.get(request.target);
      if (!controller) return;
      controller.abort();
      if (!started.has(request.target)) loop.postCancelled(request.target);
      return;
    }
    if (loop.immediate?.(request)) return;
    const controller = new AbortController();
    controllers.set(request.id, controller);
    chain = chain
      .then(() => {
        if (controller.signal.aborted) return;
        started.add(request.id);
        return loop.handle(request as Exclude<Req, CancelRequest>, controller.signal);
      })
      .finally(() => {
        controllers.delete(request.id);
        started.delete(request.id);
      });
  };
}

function isCancel(request: { type: string }): request is CancelRequest {
  return request.type === 'cancel';
}
