// The measuring queue: each decodable photo is measured once in the attributes worker as soon as it
// is added (exposure, colour, focus grid, horizon), and again with its saliency map once the heatmap
// exists (subject sharpness, centroid, thirds); the worker keeps the scan, so the second costs no decode.
// The selected photo goes first; one request at a time.
import { WorkerClient, isCancelled } from '../../workers/client.ts';
import type { AttributesRequest, AttributesResults } from '../../workers/protocol.ts';
import { splitDetails } from '../../models/attributes/index.ts';
import { hasSaliency, usePhotos, type Photo } from '../state/photos.ts';
import { mapsOf } from '../state/session/paging.ts';

const IDLE_MS = 5 * 60_000;

interface Job {
  photoId: string;
  controller: AbortController;
}

export class MeasureQueue {
  private readonly client = new WorkerClient<AttributesRequest, AttributesResults>(
    () =>
      new Worker(new URL('../../workers/attributes.worker.ts', import.meta.url), {
        type: 'module',
        name: 'attributes',
      }),
    // A measuring pass takes well under a second; a cancelled one may finish rather than lose the kept scans.
    { idleMs: IDLE_MS, cancelGraceMs: 2000 },
  );
  private running: Job | null = null;

  constructor() {
    usePhotos.subscribe(() => this.pump());
    this.pump();
  }

  private wanted(p: Photo): boolean {
    if (!p.mimeType || p.status === 'failed' || p.measurementError) return false;
    // A new heatmap marks the facts as not measured with it (a restored photo comes with its own).
    return !p.measurement || (!p.measurement.withSaliency && hasSaliency(p));
  }

  private pump(): void {
    const { photos, selectedId } = usePhotos.getState();
    if (this.running) {
      const id = this.running.photoId;
      if (!photos.some((p) => p.id === id)) this.running.controller.abort();
      return;
    }
    const selected = photos.find((p) => p.id === selectedId);
    const next = selected && this.wanted(selected) ? selected : photos.find((p) => this.wanted(p));
    if (next) void this.measure(next);
  }

  private async measure(photo: Photo): Promise<void> {
    const job: Job = { photoId: photo.id, controller: new AbortController() };
    this.running = job;
    const { update } = usePhotos.getState();
    try {
      const saliency = (await mapsOf(photo)).saliency ?? null;
      if (!saliency && hasSaliency(photo)) throw new Error('its heatmap could not be read back');
      // The worker decodes the file itself; a file whose type the browser did not set gets the sniffed one.
      const file =
        photo.file.type === photo.mimeType ? photo.file : photo.file.slice(0, photo.file.size, photo.mimeType);
      const measurement = await this.client.request(
        'measure',
        {
          key: photo.id,
          file,
          saliency: saliency && { data: saliency.data.slice(), width: saliency.width, height: saliency.height },
        },
        { signal: job.controller.signal },
      );
      const now = usePhotos.getState().photos.find((p) => p.id === photo.id);
      if (now) {
        const { clipMask, attributes, ...rest } = measurement;
        const { facts, details } = splitDetails(attributes);
        update(photo.id, {
          measurement: { ...rest, attributes: facts },
          clipMask,
          details,
          ...(now.paged ? { paged: { ...now.paged, clipMask: false, details: false } } : {}),
        });
      }
    } catch (err) {
      if (isCancelled(err) || job.controller.signal.aborted) return;
      update(photo.id, { measurementError: err instanceof Error ? err.message : String(err) });
    } finally {
      if (this.running === job) this.running = null;
      this.pump();
    }
  }
}
