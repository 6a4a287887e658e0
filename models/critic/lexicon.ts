// Aesthetic-attribute lexicon and tagging of critique text into spans.
//
// The lexicon maps words and phrases that photo critiques (AVA comments, the ASE-MLLM captions) use
// for each aesthetic attribute. Matching is case-insensitive, on whole words, the longest phrase at each position
// ("depth of field" wins over "field"), and accepts a plural or inflected ending (-s, -es, -ed,
// -ing, -ly) on every entry. A word belongs to one attribute only. The UI renders the spans as text
// (never HTML), highlighting the tagged ones.

export const ATTRIBUTES = [
  'colour',
  'lighting',
  'composition',
  'focus',
  'depth of field',
  'exposure',
  'subject',
  'background',
] as const;
export type Attribute = (typeof ATTRIBUTES)[number];

export const LEXICON: Record<Attribute, readonly string[]> = {
  colour: [
    'colour',
    'color',
    'colourful',
    'colorful',
    'hue',
    'saturation',
    'saturated',
    'desaturated',
    'palette',
    'tone',
    'tonal',
    'warm',
    'cool',
    'vibrant',
    'muted',
    'monochrome',
    'black and white',
    'white balance',
  ],
  lighting: [
    'light',
    'lighting',
    'lit',
    'shadow',
    'highlight',
    'backlight',
    'backlit',
    'sunlight',
    'golden hour',
    'soft light',
    'harsh light',
    'glow',
    'illumination',
    'silhouette',
  ],
  composition: [
    'composition',
    'composed',
    'framing',
    'frame',
    'rule of thirds',
    'thirds',
    'leading line',
    'lines',
    'symmetry',
    'symmetrical',
    'balance',
    'balanced',
    'negative space',
    'perspective',
    'angle',
    'crop',
    'cropping',
    'horizon',
    'layout',
    'placement',
  ],
  focus: ['focus', 'focused', 'sharp', 'sharpness', 'blur', 'blurry', 'motion blur', 'soft focus', 'detail', 'crisp'],
  'depth of field': ['depth of field', 'dof', 'bokeh', 'aperture', 'out of focus', 'in focus', 'depth'],
  exposure: [
    'exposure',
    'exposed',
    'overexposed',
    'underexposed',
    'bright',
    'brightness',
    'dark',
    'contrast',
    'dynamic range',
    'blown out',
    'noise',
    'grain',
  ],
  subject: ['subject', 'main subject', 'focal point', 'portrait', 'figure', 'person', 'model', 'object'],
  background: ['background', 'backdrop', 'foreground', 'surroundings', 'clutter', 'cluttered', 'distracting'],
};

export interface Span {
  text: string;
  /** Character offsets in the input: text === input.slice(start, end). */
  start: number;
  end: number;
  attribute: Attribute | null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function buildMatcher(): { pattern: RegExp; attributeOf: Map<string, Attribute> } {
  const attributeOf = new Map<string, Attribute>();
  for (const attribute of ATTRIBUTES)
    for (const term of LEXICON[attribute]) {
      const key = term.toLowerCase();
      if (attributeOf.has(key)) throw new Error(`Lexicon term "${term}" is listed under two attributes`);
      attributeOf.set(key, attribute);
    }
  const terms = [...attributeOf.keys()].sort((a, b) => b.length - a.length);
  const alternation = terms.map((t) => escape(t).replace(/ /g, '\\s+')).join('|');
  return { pattern: new RegExp(`\\b(${alternation})(?:s|es|ed|ing|ly)?\\b`, 'gi'), attributeOf };
}

const matcher = buildMatcher();

/**
 * Splits `text` into consecutive spans; spans that name an aesthetic attribute carry it. Joining the
 * spans' text gives `text` back exactly.
 */
export function tagAttributes(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const m of text.matchAll(matcher.pattern)) {
    const start = m.index;
    const end = start + m[0].length;
    const attribute = matcher.attributeOf.get(m[1]!.toLowerCase().replace(/\s+/g, ' ')) ?? null;
    if (start > last) spans.push({ text: text.slice(last, start), start: last, end: start, attribute: null });
    spans.push({ text: m[0], start, end, attribute });
    last = end;
  }
  if (last < text.length) spans.push({ text: text.slice(last), start: last, end: text.length, attribute: null });
  return spans;
}
