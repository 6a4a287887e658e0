// The app's side of a model worker: requests become promises, an AbortSignal cancels them, and a
// worker that cannot stop a run (an ONNX session run is not interruptible) is terminated and
// started again. Idle workers are terminated to give back their memory (sessions, GPU buffers).
// A worker that lost its GPU is replaced by one on WASM, and its pending requests are sent again.
import { messageOf } from '../models/common/errors.ts';
import type { BackendInfo, Progress, WorkerError, WorkerErrorCode, WorkerResponse } from './protocol.ts';

/** A failed request. `code` 'cancelled' means the caller aborted it. */
export class WorkerRequestError extends Error {
  readonly code: WorkerErrorCode;
  constructor(error: WorkerError) {
    super(error.message);
    this.name = 'WorkerRequestError';
    this.code = error.code;
  }
}

export const isCancelled = (err: unknown): boolean => err instanceof WorkerRequestError && err.code === 'cancelled';

type Numbered = { id: number; type: string };

export interface RequestOptions<Body = unknown> {
  signal?: AbortSignal;
  transfer?: Transferable[];
  /**
   * Builds the request again after a GPU-loss restart, for requests whose transferables went with
   * the old worker. Without it such a request fails with 'device-lost'.
   */
  rebuild?(): Promise<{ body: Body; transfer: Transferable[] }>;
  onProgress?(progress: Progress): void;
  onReady?(backend: BackendInfo): void;
  onToken?(text: string, tokens: number): void;
}

export interface WorkerClientOptions {
  /** Terminate the worker after this long without pending requests (0: never). */
  idleMs: number;
  /**
   * How long a cancelled request may take to end by itself before the worker is terminated.
   * 0 terminates at once (the worker cannot interrupt its runs).
   */
  cancelGraceMs: number;
  /** Called for every 'ready' (session created), e.g. to show the backend badge. */
  onReady?(backend: BackendInfo): void;
  /** Called for every 'notice' the worker sends. */
  onNotice?(notice: string): void;
  /** Run on WASM from the start, for this reason (e.g. the user asked for it). */
  forceWasm?: string;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: WorkerRequestError): void;
  options: RequestOptions<object>;
  /** The request as sent, to send again after a device-loss restart. */
  message: Numbered & { forceWasm?: string };
  restarted: boolean;
}

/** The fields of a request of type T besides id and type; `Results` maps each type to what it resolves to. */
type BodyOf<Req extends Numbered, T extends string> = Omit<Extract<Req, { type: T }>, 'id' | 'type'>;

export class WorkerClient<Req extends Numbered, Results extends { [K in Req['type']]: unknown }> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set after a device loss: every later request runs on WASM, with this reason. */
  private forceWasm: string | undefined;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly options: WorkerClientOptions,
  ) {
    this.forceWasm = options.forceWasm;
  }

  /** Sends a request; resolves with its result, rejects with a WorkerRequestError. */
  request<T extends Req['type'] & keyof Results & string>(
    type: T,
    body: BodyOf<Req, T>,
    options: RequestOptions<BodyOf<Req, T>> = {},
  ): Promise<Results[T]> {
    if (options.signal?.aborted) {
      return Promise.reject(new WorkerRequestError({ code: 'cancelled', message: 'cancelled' }));
    }
    const id = this.nextId++;
    const message = { ...body, type, id, ...(this.forceWasm ? { forceWasm: this.forceWasm } : {}) } as Numbered;
    return new Promise<Results[T]>((resolve, reject) => {
      const entry: Pending = {
        resolve: resolve as (value: unknown) => void,
        reject,
        options: options as RequestOptions<object>,
        message,
        restarted: false,
      };
      this.pending.set(id, entry);
      clearTimeout(this.idleTimer);
      this.post(message, options.transfer ?? []);
      options.signal?.addEventListener('abort', () => this.cancel(id), { once: true });
    });
  }

  /** Test hook and fallback: every later request (and the worker) runs on WASM. */
  get wasmReason(): string | undefined {
    return this.forceWasm;
  }

  /** Terminates the worker; pending requests fail with `code`. */
  terminate(code: WorkerErrorCode = 'cancelled', message = 'the worker was stopped'): void {
    this.worker?.terminate();
    this.worker = null;
    clearTimeout(this.idleTimer);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new WorkerRequestError({ code, message }));
  }

  private post(message: Numbered, transfer: Transferable[]): void {
    if (!this.worker) {
      const worker = this.createWorker();
      worker.onmessage = (event: MessageEvent<WorkerResponse<unknown>>) => this.receive(worker, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        if (this.worker === worker)
          this.terminate('runtime', `the model worker crashed: ${event.message || 'unknown error'}`);
      };
      worker.onmessageerror = () => {
        if (this.worker === worker) this.terminate('runtime', 'the model worker sent an unreadable message');
      };
      this.worker = worker;
    }
    this.worker.postMessage(message, transfer);
  }

  private cancel(id: number): void {
    if (!this.pending.has(id)) return;
    this.post({ id: this.nextId++, type: 'cancel', target: id } as Numbered, []);
    const worker = this.worker;
    const stopHard = (): void => {
      const entry = this.pending.get(id);
      if (!entry || this.worker !== worker) return;
      // The run cannot be interrupted: drop the worker (and with it the run); others on it fail too.
      this.pending.delete(id);
      entry.reject(new WorkerRequestError({ code: 'cancelled', message: 'cancelled' }));
      this.terminate('cancelled', 'cancelled together with another request on the same worker');
    };
    if (this.options.cancelGraceMs <= 0) stopHard();
    else setTimeout(stopHard, this.options.cancelGraceMs);
  }

  private receive(worker: Worker, response: WorkerResponse<unknown>): void {
    if (worker !== this.worker) return;
    const entry = this.pending.get(response.id);
    if (!entry) return;
    switch (response.type) {
      case 'progress':
        entry.options.onProgress?.(response.progress);
        return;
      case 'ready':
        this.options.onReady?.(response.backend);
        entry.options.onReady?.(response.backend);
        return;
      case 'token':
        entry.options.onToken?.(response.text, response.tokens);
        return;
      case 'notice':
        this.options.onNotice?.(response.notice);
        return;
      case 'result':
        this.pending.delete(response.id);
        entry.resolve(response.result);
        break;
      case 'error':
        if (response.error.code === 'device-lost' && !entry.restarted) {
          this.restartOnWasm(response.error.message);
          return;
        }
        this.pending.delete(response.id);
        entry.reject(new WorkerRequestError(response.error));
        break;
    }
    this.armIdleTimer();
  }

  /** The worker lost its GPU and cannot recover in place: start a fresh one on WASM and resend every pending request. */
  private restartOnWasm(reason: string): void {
    this.forceWasm = reason;
    this.worker?.terminate();
    this.worker = null;
    for (const entry of this.pending.values()) {
      entry.restarted = true;
      if (!entry.options.transfer?.length) {
        entry.message = { ...entry.message, forceWasm: reason };
        this.post(entry.message, []);
      } else if (entry.options.rebuild) {
        void this.resendRebuilt(entry, entry.options.rebuild, reason);
      } else {
        // Transferred objects went with the old worker: the request cannot be sent again as it was.
        this.pending.delete(entry.message.id);
        entry.reject(new WorkerRequestError({ code: 'device-lost', message: reason }));
      }
    }
  }

  private async resendRebuilt(
    entry: Pending,
    rebuild: () => Promise<{ body: object; transfer: Transferable[] }>,
    reason: string,
  ): Promise<void> {
    const { id, type } = entry.message;
    let rebuilt: { body: object; transfer: Transferable[] };
    try {
      rebuilt = await rebuild();
    } catch (err) {
      if (this.pending.get(id) !== entry) return;
      this.pending.delete(id);
      entry.reject(new WorkerRequestError({ code: 'runtime', message: messageOf(err) }));
      return;
    }
    // Cancelled while it was rebuilt: nothing to send; bitmaps made for it are released.
    if (this.pending.get(id) !== entry) {
      for (const t of rebuilt.transfer) if ('close' in t) t.close();
      return;
    }
    entry.message = { ...rebuilt.body, type, id, forceWasm: reason };
    this.post(entry.message, rebuilt.transfer);
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.pending.size > 0 || this.options.idleMs <= 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.terminate();
    }, this.options.idleMs);
  }
}
