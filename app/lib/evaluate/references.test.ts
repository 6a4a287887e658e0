import { describe, expect, it } from 'vitest';
import { matchPhotos, parseReferences } from './references.ts';

const file = (name: string, folderPath?: string): File => {
  const f = new File([new Uint8Array(1)], name, { type: 'image/jpeg' });
  if (folderPath) Object.defineProperty(f, 'webkitRelativePath', { value: folderPath });
  return f;
};

describe('parseReferences', () => {
  it('reads the {"id": [refs]} shape and the generic dataset array', () => {
    expect(parseReferences('{"a": ["x y"], "b.jpg": ["z"]}', 'refs.json').items.map((i) => i.id)).toEqual([
      'a',
      'b.jpg',
    ]);
    const generic = parseReferences('[{"image": "p/c.png", "references": ["r"]}]', 'd.json');
    expect(generic.format).toBe('generic');
    expect(generic.items[0]).toMatchObject({ id: 'p/c.png', image: 'p/c.png' });
  });

  it('names the file and the problem for malformed input', () => {
    expect(() => parseReferences('{"a": ["x"', 'refs.json')).toThrow(/refs\.json: not valid JSON/);
    expect(() => parseReferences('{"a": "not a list"}', 'refs.json')).toThrow(/"a" must map to an array/);
    expect(() => parseReferences('{"a": []}', 'refs.json')).toThrow(/"a" has no reference/);
    expect(() => parseReferences('  ', 'refs.json')).toThrow(/refs\.json: the file is empty/);
    expect(() => parseReferences('{}', 'refs.json')).toThrow(/no images/);
  });
});

describe('matchPhotos', () => {
  const items = parseReferences(
    '{"coffee": ["r1"], "street.jpg": ["r2"], "a/x.jpg": ["r3"], "b/x.jpg": ["r4"], "unused": ["r5"]}',
    'refs.json',
  ).items;

  it('matches ids with or without extension and folder, most specific first', () => {
    const photos = [
      file('coffee.png'),
      file('street.jpg', 'set/street.jpg'),
      file('x.jpg', 'b/x.jpg'),
      file('x.jpg', 'a/x.jpg'),
      file('cat.jpg'),
    ];
    const m = matchPhotos(photos, items);
    expect(m.matched.map((p) => [p.fileName, p.item.id])).toEqual([
      ['coffee.png', 'coffee'],
      ['set/street.jpg', 'street.jpg'],
      ['b/x.jpg', 'b/x.jpg'],
      ['a/x.jpg', 'a/x.jpg'],
    ]);
    expect(m.photosWithoutReferences).toEqual(['cat.jpg']);
    expect(m.referencesWithoutPhotos).toEqual(['unused']);
  });

  it('never gives one reference set to two photos', () => {
    const m = matchPhotos([file('coffee.jpg'), file('coffee.png')], items);
    expect(m.matched.map((p) => p.fileName)).toEqual(['coffee.jpg']);
    expect(m.photosWithoutReferences).toEqual(['coffee.png']);
  });
});
