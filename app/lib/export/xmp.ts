// XMP sidecars for the culls, as Lightroom, Bridge and darktable read them: `xmp:Rating` 0–5 with
// -1 for a reject, `xmp:Label` by colour name, and picks as `xmpDM:good` (Adobe's pick marker:
// Lightroom keeps its own pick flags in its catalogue, not in XMP).
import { LABEL_NAMES, type Cull } from '../cull/types.ts';

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The sidecar packet for one photo. */
export function xmpSidecar(cull: Cull, tool = 'AesLens'): string {
  const rating = cull.flag === 'reject' ? -1 : cull.rating;
  const attributes = [
    `xmp:Rating="${rating}"`,
    ...(cull.label !== 'none' ? [`xmp:Label="${LABEL_NAMES[cull.label]}"`] : []),
    ...(cull.flag === 'pick' ? ['xmpDM:good="True"'] : []),
    `xmp:CreatorTool="${escapeXml(tool)}"`,
  ];
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/"',
    ...attributes.map((a, i) => `   ${a}${i === attributes.length - 1 ? '/>' : ''}`),
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
    '',
  ].join('\n');
}

/**
 * Sidecar names beside each photo's name (`shoot/IMG_1.jpg` → `shoot/IMG_1.xmp`, as Lightroom
 * names them); when two photos share a base name, the later ones keep their extension
 * (`IMG_1.png.xmp`, as darktable names them) so no sidecar overwrites another.
 */
export function sidecarNames(fileNames: readonly string[]): string[] {
  const taken = new Set<string>();
  return fileNames.map((name) => {
    const base = name.replace(/\.[^./]*$/, '');
    const preferred = `${base}.xmp`;
    const chosen = taken.has(preferred.toLowerCase()) ? `${name}.xmp` : preferred;
    taken.add(chosen.toLowerCase());
    return chosen;
  });
}
