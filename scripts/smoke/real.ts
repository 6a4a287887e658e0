// `npm run smoke:real` (needs internet): downloads the default packs at their pinned revisions, checks
// bytes and sha256, runs `aeslens critique` on a few of ../shared/photos/good and checks the output
// (scripts/smoke/checks.ts), then prints a short report. `--browser` runs the same checks in the app
// (scripts/smoke/browser.spec.ts, Playwright). Without a route to the model host it stops at once and
// says so.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { messageOf } from '../../models/common/errors.ts';
import { mismatch } from '../../models/critic/verify.ts';
import { criticFilesFor, type CriticPack } from '../../models/packs/critic.ts';
import { PACK_GROUPS, findCriticPack, findIasmPack } from '../../models/packs/registry.ts';
import { HUB_HOST, packFileUrl } from '../../models/packs/urls.ts';
import { smokeProblems, type SmokeResult } from './checks.ts';

const WORK = resolve('.smoke-real');
const PHOTOS = ['Dune.jpg', 'Elephants.jpg', 'YellowFlower.jpg'].map((f) => resolve('../shared/photos/good', f));

/** Why the model host cannot be reached, or null when it answers. */
export async function hostProblem(url = HUB_HOST, timeoutMs = 15_000): Promise<string | null> {
  const critic = findCriticPack(PACK_GROUPS.default!.critic)!;
  try {
    await fetch(`${url}/api/models/${critic.modelId}`, { signal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${messageOf(err)}${cause}`;
  }
}

/** Downloads (or reuses) one pinned file; a copy that does not match its pin is dropped and fetched again. */
async function pinnedFile(pack: CriticPack, path: string, dir: string): Promise<string> {
  const pin = pack.files.find((f) => f.path === path)!;
  const target = join(dir, path);
  if (existsSync(target) && !(await mismatch(pin, new Uint8Array(await readFile(target))))) return 'cached, verified';
  await rm(target, { force: true });
  if (pack.source.type !== 'hub') throw new Error(`${pack.id} is not a Hub pack`);
  const url = packFileUrl(pack, path);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const why = await mismatch(pin, bytes);
  if (why) throw new Error(`${path} of ${pack.name} does not match its pin: ${why}`);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return pin.sha256
    ? `downloaded, ${bytes.byteLength} B, sha256 verified`
    : `downloaded, ${bytes.byteLength} B, unpinned`;
}

async function main(args: string[]): Promise<number> {
  const problem = await hostProblem();
  if (problem) {
    process.stderr.write(
      `smoke:real: cannot reach the model host ${new URL(HUB_HOST).host} (${problem}).\n` +
        'It downloads the real models and needs internet access; nothing was run.\n',
    );
    return 2;
  }
  if (args.includes('--browser')) {
    const run = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.smoke.config.ts'], { stdio: 'inherit' });
    return run.status ?? 1;
  }
  const critic = findCriticPack(PACK_GROUPS.default!.critic)!;
  const iasm = findIasmPack(PACK_GROUPS.default!.iasm)!;
  const dir = join(WORK, critic.modelId.split('/').pop()!);
  process.stdout.write(`Critic ${critic.id} at ${critic.source.type === 'hub' ? critic.source.revision : '?'}:\n`);
  for (const path of criticFilesFor(critic, 'cpu'))
    process.stdout.write(`  ${path}: ${await pinnedFile(critic, path, dir)}\n`);

  const out = join(WORK, 'out');
  await mkdir(out, { recursive: true });
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'models/cli/main.ts',
      'critique',
      '--pack',
      dir,
      '--iasm',
      iasm.id,
      '--json',
      '--out',
      out,
      ...PHOTOS,
    ],
    { maxBuffer: 64 << 20 },
  );
  const results = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as SmokeResult);
  process.stdout.write(`\nIASM ${iasm.id} + critic ${critic.id} on ${results.length} photos:\n`);
  for (const r of results)
    process.stdout.write(
      `  ${r.file.split('/').pop()}: score ${r.score?.toFixed(2)}, ${r.critique.split(/\s+/).length} words: ${r.critique.slice(0, 100)}…\n`,
    );
  const problems = results.length === PHOTOS.length ? smokeProblems(results) : ['the CLI did not report every photo'];
  process.stdout.write(
    problems.length ? `\nFAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` : '\nAll checks passed.\n',
  );
  return problems.length ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
