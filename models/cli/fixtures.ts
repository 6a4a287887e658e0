// `aeslens fixtures --out <dir> [--only <id>,…]`: writes every generated fixture pack to <dir>/<id>/.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { FIXTURES } from '../fixtures/index.ts';

export const USAGE = `Usage: aeslens fixtures --out <dir> [--only <id>,…]\nFixtures: ${Object.keys(FIXTURES).join(', ')}\n`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, only: { type: 'string' } } });
  if (!values.out) {
    process.stderr.write(USAGE);
    return 2;
  }
  const ids = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(FIXTURES);
  const unknown = ids.filter((id) => !FIXTURES[id]);
  if (unknown.length)
    throw new Error(`Unknown fixture(s) ${unknown.join(', ')}; known: ${Object.keys(FIXTURES).join(', ')}`);
  for (const id of ids) {
    const files = await FIXTURES[id]!();
    let bytes = 0;
    for (const [path, data] of Object.entries(files)) {
      const target = join(values.out, id, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
      bytes += data.length;
    }
    process.stdout.write(
      `${id}: ${Object.keys(files).length} files, ${(bytes / 1024).toFixed(0)} KiB -> ${join(values.out, id)}\n`,
    );
  }
  return 0;
}
