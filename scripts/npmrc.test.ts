// `npm install` on a fresh clone needs nothing set by hand: the project .npmrc tells onnxruntime-node's
// install script to skip its downloads (its CPU build ships inside the package; we never need CUDA).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('project .npmrc', () => {
  it("lets onnxruntime-node's install script finish offline with no ONNXRUNTIME_* variable set", () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/onnxruntime/i.test(k)));
    const run = () =>
      execFileSync('npm', ['rebuild', 'onnxruntime-node', '--foreground-scripts'], {
        env,
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 60_000,
      });
    expect(run).not.toThrow();
  }, 90_000);
});
