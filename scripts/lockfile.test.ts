import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `npm ci` refuses a lock file in which a package's optional dependency has no entry of
// its own. `npm install` writes such a lock without complaint when the registry lacks a
// platform build (this registry mirrors only some rollup versions in full), so CI would
// fail on a fresh clone while every local install looks fine.
interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

describe('package-lock.json', () => {
  it('has an entry for every optional dependency, so `npm ci` accepts it', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${path}/node_modules/${dep}`;
        if (!lock.packages[nested] && !lock.packages[`node_modules/${dep}`]) {
          missing.push(`${path} -> ${dep}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
