// Debian's Chromium, as the e2e specs, the browser benches and the browser unit tests launch it.
// WebGPU runs on the CPU there (SwiftShader): correct but slow.
import type { LaunchOptions } from '@playwright/test';

const WEBGPU_FLAG = '--enable-unsafe-webgpu';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  WEBGPU_FLAG,
];

/** Launch options for Debian's Chromium; `webgpu: false` leaves it without a WebGPU adapter. */
export function chromiumLaunchOptions({ webgpu = true }: { webgpu?: boolean } = {}): LaunchOptions {
  return {
    executablePath: '/usr/bin/chromium',
    args: webgpu ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== WEBGPU_FLAG),
  };
}
