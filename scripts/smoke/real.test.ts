// Without a route to the model host, `npm run smoke:real` stops at once and says why.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostProblem } from './real.ts';

describe('npm run smoke:real without internet', () => {
  it('stops at once with "cannot reach the model host"', async (ctx) => {
    if ((await hostProblem()) === null) ctx.skip(); // a machine with internet runs the real smoke instead
    const start = performance.now();
    let stderr = '';
    let status = 0;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/smoke/real.ts'], { stdio: 'pipe', timeout: 60_000 });
    } catch (err) {
      ({ stderr, status } = err as { stderr: Buffer; status: number } & { stderr: never });
      stderr = String(stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toMatch(/^smoke:real: cannot reach the model host huggingface\.co \(.+\)\./);
    expect(stderr).toContain('nothing was run');
    expect(performance.now() - start).toBeLessThan(30_000);
  }, 90_000);
});
