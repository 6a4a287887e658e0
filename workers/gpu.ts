// The model workers' GPU: the WebGPU device (or why there is none), created here rather than by ORT
// so that `device.lost` can be watched (and destroyed from a test hook); runs watched for a loss,
// which becomes a DeviceLostError; and bitmaps read back as RGBA pixels.
import { messageOf } from '../models/common/errors.ts';

export type GpuAcquisition = { device: GPUDevice; adapter: string } | { device: null; reason: string };

export async function acquireGpuDevice(): Promise<GpuAcquisition> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { device: null, reason: 'this browser has no WebGPU' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return {
      device: null,
      reason: `WebGPU adapter request failed: ${messageOf(err)}`,
    };
  }
  if (!adapter) return { device: null, reason: 'no WebGPU adapter' };
  try {
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      // The critic's half-precision files need shader-f16 on the device, not only on the adapter.
      requiredFeatures: adapter.features.has('shader-f16') ? ['shader-f16'] : [],
      requiredLimits: {
        maxBufferSize: limits.maxBufferSize,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      },
    });
    const info = adapter.info;
    const name = [info.vendor, info.architecture || info.device].filter(Boolean).join(' ') || 'WebGPU adapter';
    return { device, adapter: name };
  } catch (err) {
    return {
      device: null,
      reason: `WebGPU device request failed: ${messageOf(err)}`,
    };
  }
}

/** The GPU device went away under a run; the client restarts the worker on WASM and sends the request again. */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}

/** How long a failed GPU run waits for `device.lost` to tell whether the device caused it. */
export const LOST_GRACE_MS = 1000;

/** A session's device (null on WASM) and whether it has been lost. */
export interface WatchedDevice {
  device: GPUDevice | null;
  /** Resolves with the reason when the device is lost; never on WASM. */
  lost: Promise<string>;
  isLost: boolean;
}

export function watchDevice(device: GPUDevice | null): WatchedDevice {
  const watched: WatchedDevice = { device, lost: new Promise(() => {}), isLost: false };
  if (device) {
    watched.lost = device.lost.then((info) => {
      watched.isLost = true;
      return info.message ? `GPU device lost (${info.message})` : 'GPU device lost';
    });
  }
  return watched;
}

const delay = (ms: number): Promise<'timeout'> => new Promise((resolve) => setTimeout(() => resolve('timeout'), ms));

/**
 * Awaits a run on the watched device. If the device is lost meanwhile, the run gets `settleMs` to
 * end by itself; a run that fails, or does not end, because the device went away becomes a
 * DeviceLostError. A loss after the run has ended is left to the next request.
 */
export async function watchedRun<T>(watched: WatchedDevice, run: Promise<T>, settleMs: number): Promise<T> {
  if (watched.isLost) throw new DeviceLostError('GPU device lost');
  const ended = run.then(
    () => 'ended' as const,
    () => 'ended' as const,
  );
  const first = await Promise.race([ended, watched.lost.then(() => 'lost' as const)]);
  if (first === 'lost' && (await Promise.race([ended, delay(settleMs)])) === 'timeout')
    throw new DeviceLostError(`${await watched.lost} during a run`);
  try {
    return await run;
  } catch (err) {
    // A run failing because the device went away can reject before `device.lost` resolves.
    if (watched.device && !watched.isLost) await Promise.race([watched.lost, delay(LOST_GRACE_MS)]);
    if (watched.isLost) throw new DeviceLostError(`${await watched.lost} during a run`);
    throw err;
  }
}

/** RGBA pixels of a bitmap, at its own size or drawn at width × height (aspect not kept). */
export function bitmapToRgba(
  image: ImageBitmap,
  width = image.width,
  height = image.height,
): { data: Uint8ClampedArray; width: number; height: number } {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, width, height);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}
