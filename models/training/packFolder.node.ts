// The folder a training run writes: a copy of the base pack's model folder (hard links where the
// file system allows) plus iasvit/, so that it loads as a model folder with trained fusion weights.
import { existsSync } from 'node:fs';
import { copyFile, link, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Files below `dir`, as paths relative to it. */
async function walk(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path, root)));
    else if (entry.isFile()) out.push(relative(root, path));
  }
  return out;
}

/** Copies the model folder `from` into `to` (its iasvit/ excepted); files already there with the same size stay. */
export async function copyModelFolder(from: string, to: string): Promise<void> {
  if (resolve(from) === resolve(to)) return;
  for (const file of await walk(from)) {
    if (file.startsWith('iasvit/') || file.startsWith(`iasvit\\`)) continue;
    const src = join(from, file);
    const dst = join(to, file);
    if (existsSync(dst) && (await stat(dst)).size === (await stat(src)).size) continue;
    await mkdir(dirname(dst), { recursive: true });
    await link(src, dst).catch(() => copyFile(src, dst));
  }
}

/** Writes generated pack files (relative path → bytes) into `to`. */
export async function writeModelFolder(files: Record<string, Uint8Array>, to: string): Promise<void> {
  for (const [file, bytes] of Object.entries(files)) {
    if (file.startsWith('iasvit/')) continue;
    await mkdir(dirname(join(to, file)), { recursive: true });
    await writeFile(join(to, file), bytes);
  }
}

/** The session file to train with: float32 if present, else a quantised one (used dequantised). */
export function trainingSessionFile(dir: string, session: string): string {
  for (const suffix of ['', '_q4', '_quantized', '_int8', '_uint8']) {
    const path = join(dir, 'onnx', `${session}${suffix}.onnx`);
    if (existsSync(path)) return path;
  }
  throw new Error(`${dir} has no float32 or quantised onnx/${session}.onnx to train with`);
}
