// Renders the PWA icons in public/icons/ from public/favicon.svg. Run once after changing the SVG:
// node scripts/makeIcons.mjs
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

const svg = await readFile(new URL('../public/favicon.svg', import.meta.url));
const out = (name) => new URL(`../public/icons/${name}`, import.meta.url).pathname;

for (const size of [192, 512]) {
  await sharp(svg, { density: (72 * size) / 64 })
    .resize(size, size)
    .png()
    .toFile(out(`icon-${size}.png`));
}
// Maskable: the artwork inside the 80% safe zone on a full-bleed background.
const inner = Math.round(512 * 0.8);
const art = await sharp(svg, { density: (72 * inner) / 64 })
  .resize(inner, inner)
  .png()
  .toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#111214' } })
  .composite([{ input: art, gravity: 'centre' }])
  .png()
  .toFile(out('icon-maskable-512.png'));
