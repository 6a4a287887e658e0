// Hooks for the end-to-end tests, installed only with `?testhooks` in the URL: read results as
// plain data, force a GPU device loss in a worker, and run a critic dtype set on WASM (`criticSet`).
import type { AttributeDetails, AttributeFacts } from '../../models/attributes/index.ts';
import type { BackendInfo } from '../../workers/protocol.ts';
import { CRITIC_BACKENDS, type CriticBackend } from '../../models/packs/critic.ts';
import { useModels } from '../state/models.ts';
import { usePhotos, type PhotoTimings } from '../state/photos.ts';
import { mapsOf } from '../state/session/paging.ts';
import type { AnalysisQueue } from '../analysis/queue.ts';

export interface PhotoResultForTests {
  fileName: string;
  status: string;
  error?: string;
  notice?: string;
  mimeType: string;
  /** Displayed size (orientation applied). */
  width: number;
  height: number;
  score?: number;
  saliency?: number[];
  cam?: number[];
  backend?: BackendInfo;
  /** Packs the photo was analysed with. */
  packs?: { iasm: string; critic: string };
  critique: string;
  critiqueStatus: string;
  /** The exact text the critic was told. */
  criticPrompt?: string;
  criticBackend?: BackendInfo;
  /** Measured attributes, and whether the saliency-dependent ones are in. */
  attributes?: AttributeFacts;
  /** The measurement's histograms and sharpness grid, paged out to the session database included. */
  details?: AttributeDetails;
  measuredWithSaliency?: boolean;
  /** Why the attributes could not be measured. */
  measurementError?: string;
  hasDisplayBitmap: boolean;
  /** Size of the decoded display copy, when held. */
  display?: { width: number; height: number };
  /** Intake (sniff + decode + thumbnail), analysis and critique times (bench/browser.bench.ts). */
  timings: PhotoTimings;
}

export interface AesLensTestHooks {
  /** Every photo's results, heatmaps paged out to the session database included. */
  results(): Promise<PhotoResultForTests[]>;
  /** How many photos there are and how many have been checked (accepted or refused): cheap to poll. */
  intakeProgress(): { photos: number; checked: number };
  backends(): ReturnType<typeof useModels.getState>['backends'];
  /** Destroys the GPU device of the IASM or the critic worker. */
  loseGpuDevice(worker: 'iasm' | 'critic'): Promise<null>;
  /** Photos holding a decoded display bitmap right now (memory bound check). */
  displayBitmapCount(): number;
  /** Bytes of the decoded display bitmaps held right now (width × height × 4): cheap to poll. */
  displayBitmapBytes(): number;
  /** Each photo's status and timings, without the maps: cheap to poll for many photos. */
  statuses(): Pick<PhotoResultForTests, 'status' | 'timings'>[];
  /**
   * Cancels the photo with this file name (as the UI's cancel would) the moment its analysis request is sent to the IASM
   * worker, so the cancel always meets work in flight; resolves once it has.
   */
  cancelWhenSent(fileName: string): Promise<void>;
}

/**
 * `&criticSet=<backend>` beside `?testhooks`: the critic runs that backend's dtype set of its pack on
 * WASM (e.g. 'webgpu-f16', the half-precision files, on a machine without shader-f16).
 */
export function testCriticDtypeSet(params: URLSearchParams): CriticBackend | undefined {
  const set = params.get('criticSet');
  if (set === null) return undefined;
  if (!CRITIC_BACKENDS.includes(set as CriticBackend)) throw new Error(`Unknown criticSet "${set}"`);
  return set as CriticBackend;
}

export function installTestHooks(queue: AnalysisQueue): void {
  const hooks: AesLensTestHooks = {
    results: () =>
      Promise.all(
        usePhotos.getState().photos.map(async (p) => ({
          fileName: p.fileName,
          status: p.status,
          ...(p.error ? { error: p.error } : {}),
          ...(p.notice ? { notice: p.notice } : {}),
          mimeType: p.mimeType,
          width: p.width,
          height: p.height,
          ...(p.score !== undefined ? { score: p.score } : {}),
          ...(await mapsOf(p).then(({ saliency, details }) => ({
            ...(saliency ? { saliency: [...saliency.data] } : {}),
            ...(details ? { details } : {}),
          }))),
          ...(p.cam ? { cam: [...p.cam.data] } : {}),
          ...(p.backend ? { backend: p.backend } : {}),
          ...(p.packs ? { packs: p.packs } : {}),
          critique: p.critique,
          critiqueStatus: p.critiqueStatus,
          ...(p.criticPrompt ? { criticPrompt: p.criticPrompt } : {}),
          ...(p.criticBackend ? { criticBackend: p.criticBackend } : {}),
          ...(p.measurement
            ? { attributes: p.measurement.attributes, measuredWithSaliency: p.measurement.withSaliency }
            : {}),
          ...(p.measurementError ? { measurementError: p.measurementError } : {}),
          hasDisplayBitmap: p.displayBitmap !== undefined,
          ...(p.displayBitmap ? { display: { width: p.displayBitmap.width, height: p.displayBitmap.height } } : {}),
          timings: p.timings,
        })),
      ),
    intakeProgress: () => {
      const { photos } = usePhotos.getState();
      return {
        photos: photos.length,
        checked: photos.filter((p) => p.mimeType !== '' || p.status === 'failed').length,
      };
    },
    backends: () => useModels.getState().backends,
    loseGpuDevice: (worker) => queue.loseGpuDevice(worker),
    displayBitmapCount: () => usePhotos.getState().photos.filter((p) => p.displayBitmap).length,
    displayBitmapBytes: () =>
      usePhotos
        .getState()
        .photos.reduce((s, p) => s + (p.displayBitmap ? p.displayBitmap.width * p.displayBitmap.height * 4 : 0), 0),
    statuses: () => usePhotos.getState().photos.map((p) => ({ status: p.status, timings: p.timings })),
    cancelWhenSent: (fileName) =>
      new Promise<void>((resolve) => {
        const client = queue.iasm;
        const send = client.request;
        client.request = function (this: typeof client, ...args: Parameters<typeof send>) {
          const sent = send.apply(this, args);
          const photo = usePhotos.getState().photos.find((p) => p.fileName === fileName);
          if (args[0] === 'analyse' && photo?.status === 'analysing') {
            client.request = send;
            usePhotos.getState().cancel(photo.id);
            resolve();
          }
          return sent;
        } as typeof send;
      }),
  };
  (window as Window & { aeslensTest?: AesLensTestHooks }).aeslensTest = hooks;
}
