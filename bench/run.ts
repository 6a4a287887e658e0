// `npm run bench [-- suite...]`: runs bench/*.bench.ts suites one after another and prints one table.
// Speed and memory are reported here, never asserted in tests: these machines are noisy.
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { BenchResult, BenchSuite } from './types.ts';
import { messageOf } from '../models/common/errors.ts';

const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

function formatValue(r: BenchResult): string {
  const v = Math.abs(r.value) >= 100 ? r.value.toFixed(0) : r.value.toPrecision(3);
  return `${v} ${r.unit}`;
}

const USAGE = `Usage: npm run bench [-- suite…]
  Runs the bench/*.bench.ts suites (all, or the named ones, e.g. \`npm run bench -- iasm\`), prints one table
  and writes bench-results/report.md. The browser suite needs \`npm run build\` first.
`;

export async function run(args: string[]): Promise<number> {
  if (args.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const wanted = new Set(args.filter((a) => !a.startsWith('-')));
  const files = (await readdir(BENCH_DIR))
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.size === 0 || wanted.has(f.replace(/\.bench\.ts$/, '')))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`No bench suites match ${[...wanted].join(', ')}\n`);
    return 2;
  }
  const rows: string[] = ['| suite | measure | value | note |', '| --- | --- | --- | --- |'];
  let failed = 0;
  for (const file of files) {
    const suite = file.replace(/\.bench\.ts$/, '');
    process.stderr.write(`bench: ${suite}…\n`);
    try {
      const mod = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { default: BenchSuite };
      for (const r of await mod.default()) {
        rows.push(`| ${suite} | ${r.name} | ${formatValue(r)} | ${r.note ?? ''} |`);
        process.stderr.write(`  ${r.name}: ${formatValue(r)}\n`);
      }
    } catch (err) {
      failed++;
      rows.push(`| ${suite} | FAILED | | ${messageOf(err)} |`);
    }
  }
  const table = rows.join('\n');
  process.stdout.write(`${table}\n`);
  const outDir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'report.md'), `# Benchmarks (${new Date().toISOString()})\n\n${table}\n`);
  return failed > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await run(process.argv.slice(2));
