// The analysis queue: watches the photos store and runs its photos through the workers, one photo
// at a time per worker (IASM on one, the critique of the previous photo on the other). Cancel,
// remove, Stop and Regenerate are store changes; the queue aborts or starts work to match.
// Memory stays bounded: display bitmaps are kept for a few photos only, copies sent to workers
// are transferred (the worker closes them), and removed photos' bitmaps and URLs are released.
import { DisplayCache } from './displayCache.ts';
import { refreshStorage } from '../state/storage.ts';
import { isCancelled, WorkerRequestError } from '../../workers/client.ts';
import { createClients, type CriticClient, type IasmClient } from './workerClients.ts';
import { groundingFacts } from '../../models/attributes/index.ts';
import type { Progress } from '../../workers/protocol.ts';
import type { CriticBackend } from '../../models/packs/critic.ts';
import { packRef } from './packRef.ts';
import { criticIasvitUsable, useModels, type ActivePacks } from '../state/models.ts';
import { useCompare } from '../state/compare.ts';
import { useCritiqueBatch } from '../state/critiqueBatch.ts';
import { useEvaluation } from '../state/evaluation.ts';
import { hasSaliency, usePhotos, type Photo } from '../state/photos.ts';
import { mapsOf } from '../state/session/paging.ts';
import { useSettings } from '../state/settings.ts';
import { messageOf } from '../../models/common/errors.ts';
import { runCropJob } from './crops.ts';
import { OpenedCritique } from './openedCritique.ts';

interface Job {
  photoId: string;
  controller: AbortController;
}

export class AnalysisQueue {
  readonly iasm: IasmClient;
  readonly critic: CriticClient;
  private analysing: Job | null = null;
  private critiquing: Job | null = null;
  private cropping: Job | null = null;
  private readonly displays = new DisplayCache(() => [
    this.analysing?.photoId,
    this.critiquing?.photoId,
    this.cropping?.photoId,
  ]);
  private preloaded = '';
  private readonly opened: OpenedCritique;

  /** A MeasureQueue measures every photo: a grounded critique waits for its facts. */
  private readonly measuring: boolean;

  /** Test option: the critic runs this backend's dtype set of its pack on WASM. */
  private readonly criticDtypeSet: CriticBackend | undefined;

  constructor(
    options: { forceWasm?: string; measuring?: boolean; critiqueDwellMs?: number; criticDtypeSet?: CriticBackend } = {},
  ) {
    ({ iasm: this.iasm, critic: this.critic } = createClients(options.forceWasm));
    this.measuring = options.measuring ?? false;
    this.opened = new OpenedCritique(() => this.pump(), critiqueWanted, options.critiqueDwellMs);
    this.criticDtypeSet = options.criticDtypeSet;
    usePhotos.subscribe(() => this.pump());
    useCompare.subscribe((s, prev) => s.shown !== prev.shown && this.pump());
    useModels.subscribe((s, prev) => {
      if (s.active !== prev.active) this.pump();
    });
    this.pump();
  }

  private packs(): ActivePacks | null {
    return useModels.getState().active;
  }

  private pump(): void {
    const { photos, selectedId } = usePhotos.getState();
    const byId = new Map(photos.map((p) => [p.id, p]));
    // Abort work whose photo was removed, cancelled or stopped.
    const a = this.analysing && byId.get(this.analysing.photoId);
    if (this.analysing && (!a || a.status !== 'analysing')) this.analysing.controller.abort();
    const c = this.critiquing && byId.get(this.critiquing.photoId);
    if (this.critiquing && (!c || c.critiqueStatus !== 'streaming')) this.critiquing.controller.abort();
    const k = this.cropping && byId.get(this.cropping.photoId);
    if (this.cropping && (!k || (k.cropsStatus !== 'running' && k.cropPreview?.status !== 'running')))
      this.cropping.controller.abort();
    this.displays.releaseRemoved(byId);
    // The photos shown (the selected one, those compared) are kept decoded; not a failed one: it may not decode at all.
    const selected = selectedId ? byId.get(selectedId) : undefined;
    for (const p of DisplayCache.onScreen().map((id) => byId.get(id))) {
      if (p?.mimeType && p.status !== 'failed') this.ensureDisplay(p.id).catch(() => {});
    }

    const packs = this.packs();
    if (!packs) return;
    this.preload(packs);
    this.opened.follow(selected, byId);
    if (!this.analysing) {
      const next = photos.find((p) => p.status === 'queued' && p.mimeType !== '');
      if (next) void this.analyse(next, packs);
    }
    if (!this.critiquing) {
      const grounding = useSettings.getState().grounding;
      // A grounded critique waits for the facts measured with the heatmap (a second or so after it,
      // longer when the full-resolution pass is still running); without a measuring queue, only for
      // a photo already being measured.
      const measured = (p: Photo): boolean =>
        !grounding ||
        p.measurement?.withSaliency === true ||
        !!p.measurementError ||
        (!this.measuring && !p.measurement);
      const next = photos.find((p) => p.critiqueStatus === 'queued' && hasSaliency(p) && measured(p));
      if (next) void this.critique(next, packs);
    }
    if (!this.cropping) {
      const next = photos.find(
        (p) => hasSaliency(p) && (p.cropsStatus === 'queued' || p.cropPreview?.status === 'queued'),
      );
      if (next) void this.crop(next);
    }
  }

  /** Crop suggestions or a crop's heatmap, with the pack that made the photo's heatmap. */
  private async crop(photo: Photo): Promise<void> {
    const job: Job = { photoId: photo.id, controller: new AbortController() };
    this.cropping = job;
    const pack = packRef(photo.packs?.iasm ?? this.packs()?.iasm ?? '');
    try {
      await runCropJob(this.iasm, pack, photo, () => this.ensureDisplay(photo.id), job.controller.signal);
    } finally {
      if (this.cropping === job) this.cropping = null;
      this.pump();
    }
  }

  /** Starts downloading the active packs as soon as they are chosen (with per-file progress). */
  private preload(packs: ActivePacks): void {
    const key = `${packs.iasm},${packs.critic}`;
    if (this.preloaded === key) return;
    this.preloaded = key;
    const report = (packId: string) => (p: Progress) => useModels.getState().reportProgress(packId, p);
    const onLoadError =
      (worker: 'iasm' | 'critic', packId: string) =>
      (err: unknown): void => {
        if (isCancelled(err)) return;
        // The host went away between choosing and downloading: back to the panel, which offers the demo packs.
        if (err instanceof WorkerRequestError && err.code === 'network' && !packs.demo && this.packs() === packs) {
          useModels.getState().setActive(null);
          useModels.getState().setFirstRun('host-unreachable', { hostError: err.message });
          this.preloaded = '';
          return;
        }
        useModels.getState().setLoadFailed(worker, packId);
        console.warn('Preloading a model pack failed:', err);
      };
    const loads = [
      this.iasm
        .request('load', { pack: packRef(packs.iasm) }, { onProgress: report(packs.iasm) })
        .catch(onLoadError('iasm', packs.iasm)),
      this.critic
        .request(
          'load',
          {
            pack: packRef(packs.critic, this.criticDtypeSet),
            iasvit: useSettings.getState().iasvit && criticIasvitUsable(packs.critic),
          },
          { onProgress: report(packs.critic) },
        )
        .catch(onLoadError('critic', packs.critic)),
    ];
    // Cache sizes and quota change once the files are stored.
    void Promise.allSettled(loads).then(() => refreshStorage());
  }

  private async analyse(photo: Photo, packs: ActivePacks): Promise<void> {
    const job: Job = { photoId: photo.id, controller: new AbortController() };
    this.analysing = job;
    const { update } = usePhotos.getState();
    update(photo.id, { status: 'analysing', error: undefined });
    try {
      const bitmap = await this.ensureDisplay(photo.id);
      if (job.controller.signal.aborted) return;
      const result = await this.runIasm(photo.id, bitmap, packs.iasm, job.controller.signal);
      // Cancelled (and perhaps queued again) while the result was on its way: it is not wanted.
      if (job.controller.signal.aborted) return;
      // The photo open gets its critique from `opened`, once it has stayed open a moment.
      const critique = critiqueWanted(photo.id);
      const { measurement, paged } = current(photo.id) ?? {};
      update(photo.id, {
        status: critique ? 'critiquing' : 'done',
        // Facts measured with an earlier heatmap are measured again with this one.
        ...(measurement?.withSaliency ? { measurement: { ...measurement, withSaliency: false } } : {}),
        score: result.score,
        classIndex: result.classIndex,
        embedding: result.embedding,
        saliency: result.saliency,
        paged: paged && { ...paged, saliency: false },
        cam: result.cam,
        backend: result.backend,
        packs: { iasm: packs.iasm, critic: packs.critic },
        // A new heatmap: crops scored before are of another analysis.
        crops: undefined,
        cropsStatus: undefined,
        cropPreview: undefined,
        critique: '',
        critiqueStatus: critique ? 'queued' : 'idle',
        // The worker's own time: waiting for the model to load or for earlier photos is not counted.
        timings: { ...current(photo.id)?.timings, analyseMs: result.timings.preprocessMs + result.timings.runMs },
      });
    } catch (err) {
      if (!current(photo.id) || job.controller.signal.aborted || isCancelled(err)) return;
      update(photo.id, { status: 'failed', error: messageOf(err) });
    } finally {
      if (this.analysing === job) this.analysing = null;
      this.pump();
    }
  }

  private runIasm(photoId: string, bitmap: ImageBitmap, packId: string, signal: AbortSignal) {
    // The worker gets its own copy (transferred and closed there); the display bitmap stays here.
    // After a GPU loss the client sends the request again to a worker on WASM, with a new copy.
    const build = async (source: ImageBitmap) => {
      const copy = await createImageBitmap(source);
      return { body: { pack: packRef(packId), image: copy }, transfer: [copy] };
    };
    return build(bitmap).then(({ body, transfer }) =>
      this.iasm.request('analyse', body, {
        signal,
        transfer,
        rebuild: async () => build(await this.ensureDisplay(photoId)),
        onProgress: (p) => useModels.getState().reportProgress(packId, p),
      }),
    );
  }

  private async critique(photo: Photo, packs: ActivePacks): Promise<void> {
    const job: Job = { photoId: photo.id, controller: new AbortController() };
    this.critiquing = job;
    const { update } = usePhotos.getState();
    const saliencyRead = mapsOf(photo).then((maps) => maps.saliency);
    update(photo.id, {
      critiqueStatus: 'streaming',
      critique: '',
      critiqueError: undefined,
      critiqueSpeed: undefined,
      criticPrompt: undefined,
    });
    const settings = useSettings.getState();
    let text = '';
    let firstToken: { tokens: number; at: number } | undefined;
    try {
      // After a GPU loss the client sends the request again to a worker on WASM, which writes the
      // critique from the start.
      const saliency = await saliencyRead;
      if (!saliency) throw new Error(`The heatmap of ${photo.fileName} could not be read back`);
      const build = async () => {
        const copy = await createImageBitmap(await this.ensureDisplay(photo.id));
        const body = {
          pack: packRef(packs.critic, this.criticDtypeSet),
          image: copy,
          saliency: { data: saliency.data.slice(), width: saliency.width, height: saliency.height },
          options: {
            guidance: settings.guidance,
            iasvit: settings.iasvit && criticIasvitUsable(packs.critic),
            doSample: settings.doSample,
            maxNewTokens: settings.maxNewTokens,
            ...(settings.grounding && photo.measurement ? { facts: groundingFacts(photo.measurement.attributes) } : {}),
          },
        };
        return { body, transfer: [copy] };
      };
      const first = await build();
      const result = await this.critic.request('critique', first.body, {
        signal: job.controller.signal,
        transfer: first.transfer,
        rebuild: () => {
          text = '';
          firstToken = undefined;
          if (current(photo.id)?.critiqueStatus === 'streaming') update(photo.id, { critique: '' });
          return build();
        },
        onToken: (piece, tokens) => {
          text += piece;
          const now = performance.now();
          firstToken ??= { tokens, at: now };
          // Decoding speed from the first streamed token on: the prompt's prefill is not counted.
          const seconds = (now - firstToken.at) / 1000;
          const critiqueSpeed = seconds > 0.5 ? (tokens - firstToken.tokens) / seconds : undefined;
          if (current(photo.id)?.critiqueStatus === 'streaming') update(photo.id, { critique: text, critiqueSpeed });
        },
        onProgress: (p) => useModels.getState().reportProgress(packs.critic, p),
      });
      const p = current(photo.id);
      if (!p) return;
      // Stopped by the user (the photo shows the text they saw when they pressed Stop, not the
      // tokens the worker produced before the interrupt reached it) or stopped and then queued
      // again by Regenerate: either way this job's result is not wanted.
      if (job.controller.signal.aborted) return;
      update(photo.id, {
        critique: result.text || text,
        criticPrompt: result.prompt,
        critiqueStatus: result.stopped ? 'stopped' : 'done',
        criticBackend: result.backend,
        status: p.status === 'critiquing' ? 'done' : p.status,
        timings: { ...p.timings, critiqueMs: result.timings.generateMs },
      });
    } catch (err) {
      const p = current(photo.id);
      if (!p || isCancelled(err) || job.controller.signal.aborted) return;
      update(photo.id, {
        critiqueStatus: 'failed',
        critiqueError: messageOf(err),
        status: p.status === 'critiquing' ? 'done' : p.status,
      });
    } finally {
      if (this.critiquing === job) this.critiquing = null;
      this.pump();
    }
  }

  /** The photo's display bitmap, decoding it (and its thumbnail) if not held; keeps only a few. */
  ensureDisplay(photoId: string): Promise<ImageBitmap> {
    return this.displays.ensure(photoId);
  }

  /** Test hook: destroy a worker's GPU device, as a driver reset would. */
  loseGpuDevice(worker: 'iasm' | 'critic'): Promise<null> {
    return worker === 'iasm' ? this.iasm.request('test-lose-device', {}) : this.critic.request('test-lose-device', {});
  }
}

const current = (id: string): Photo | undefined => usePhotos.getState().photos.find((p) => p.id === id);

/**
 * Whether a photo's critique was asked for, whether open or not: every photo if so set, picks
 * asked for, an evaluation run's photos. A critique costs seconds, so no others are written.
 */
function critiqueWanted(id: string): boolean {
  return (
    useSettings.getState().critiqueEvery ||
    useCritiqueBatch.getState().ids.includes(id) ||
    (useEvaluation.getState().run?.entries.some((e) => e.photoId === id) ?? false)
  );
}
