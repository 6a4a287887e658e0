// WebGPU device for ONNX Runtime sessions, or the reason there is none. The worker creates the
// device itself (instead of letting ORT do it) so it can watch `device.lost` and, from a test hook,
// destroy it the way a driver reset would.
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
