// watchedRun with a stand-in device whose loss the test triggers: which runs become DeviceLostError.
import { describe, expect, it } from 'vitest';
import { DeviceLostError, watchDevice, watchedRun } from './gpu.ts';

function fakeDevice() {
  let lose!: (info: { message: string }) => void;
  const lost = new Promise<{ message: string }>((resolve) => (lose = resolve));
  const device = { lost } as unknown as GPUDevice;
  return { watched: watchDevice(device), lose: () => lose({ message: 'destroyed' }) };
}

const later = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const failLater = (ms: number): Promise<never> =>
  new Promise((_, reject) => setTimeout(() => reject(new Error('run failed')), ms));

describe('watchedRun', () => {
  it('returns the result of a run on a healthy device, and its own error when it fails', async () => {
    const { watched } = fakeDevice();
    await expect(watchedRun(watched, later(5, 42), 100)).resolves.toBe(42);
    await expect(watchedRun(watched, failLater(5), 100)).rejects.toThrow('run failed');
  });

  it('a run that does not end after the loss becomes a DeviceLostError once the settle time passes', async () => {
    const { watched, lose } = fakeDevice();
    const run = watchedRun(watched, new Promise<number>(() => {}), 20);
    lose();
    await expect(run).rejects.toBeInstanceOf(DeviceLostError);
    await expect(run).rejects.toThrow('GPU device lost (destroyed) during a run');
    expect(watched.isLost).toBe(true);
  });

  it('a run that ends within the settle time after the loss keeps its result', async () => {
    const { watched, lose } = fakeDevice();
    const run = watchedRun(watched, later(10, 7), 200);
    lose();
    await expect(run).resolves.toBe(7);
  });

  it('a run failing just before `device.lost` reports is a DeviceLostError', async () => {
    const { watched, lose } = fakeDevice();
    const run = watchedRun(watched, failLater(5), 100);
    setTimeout(lose, 30);
    await expect(run).rejects.toBeInstanceOf(DeviceLostError);
  });

  it('a device already lost refuses the run; a WASM run is never lost', async () => {
    const { watched, lose } = fakeDevice();
    lose();
    await watched.lost;
    await expect(watchedRun(watched, later(1, 1), 10)).rejects.toBeInstanceOf(DeviceLostError);
    await expect(watchedRun(watchDevice(null), later(1, 2), 10)).resolves.toBe(2);
  });
});
