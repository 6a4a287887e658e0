import { describe, expect, it } from 'vitest';
import { detectFormat, parseDataset } from './datasets.ts';

describe('parseDataset', () => {
  it('generic JSONL and the refs.json object shape', () => {
    const jsonl =
      '{"image": "a.jpg", "references": ["r1", "r2"]}\n\n{"id": "b", "image": "sub/b.png", "references": ["r3"]}\n';
    expect(parseDataset(jsonl, 'd.jsonl')).toEqual({
      format: 'generic',
      items: [
        { id: 'a.jpg', image: 'a.jpg', references: ['r1', 'r2'] },
        { id: 'b', image: 'sub/b.png', references: ['r3'] },
      ],
    });
    expect(parseDataset('{"x.jpg": ["nice"]}', 'refs.json').items).toEqual([
      { id: 'x.jpg', image: 'x.jpg', references: ['nice'] },
    ]);
  });

  it('PCCD guru_*.json rows: title + seven critique fields, empty fields skipped', () => {
    const row = {
      title: '14_winter-wonderland-1',
      general_impression: 'Very good image.',
      subject_of_photo: 'Lakes and creeks make a perfect subject!',
      composition: 'Shore lines lead our eyes into the shot.',
      use_of_camera: '',
      depth_of_field: 'Deep enough.',
      color_lighting: 'Typical winter tones.',
      focus: 'Sharp.',
      score: ['8', '10', '7', '9', '9', '8', '9'],
      description: 'A winter scene (the photographer, not a critique).',
    };
    const { format, items } = parseDataset(JSON.stringify([row]), 'guru_test.json');
    expect(format).toBe('pccd');
    expect(items[0]).toEqual({
      id: '14_winter-wonderland-1',
      image: 'images/full/14_winter-wonderland-1',
      references: [
        'Very good image.',
        'Lakes and creeks make a perfect subject!',
        'Shore lines lead our eyes into the shot.',
        'Deep enough.',
        'Typical winter tones.',
        'Sharp.',
      ],
    });
  });

  it('RPCD processed rows, DPC-Captions rows and DPC2022 per-image annotations', () => {
    const rpcd = [
      { im_paths: 'submission_abc-0.jpg', im_id: 'abc', first_level_comments_values: ['Crop tighter.', 'Nice light.'] },
    ];
    expect(parseDataset(JSON.stringify(rpcd), 'processed_test.json')).toEqual({
      format: 'rpcd',
      items: [{ id: 'abc', image: 'submission_abc-0.jpg', references: ['Crop tighter.', 'Nice light.'] }],
    });
    const dpc = [
      { im_id: '953619', color_lighting: ['Great colours.'], composition: 'Centred subject.', use_of_camera: [] },
    ];
    expect(parseDataset(JSON.stringify(dpc), 'dpc.json')).toEqual({
      format: 'dpc-captions',
      items: [{ id: '953619', image: '953619.jpg', references: ['Great colours.', 'Centred subject.'] }],
    });
    expect(detectFormat({ score_comments: [] })).toBe('dpc2022');
    const dpc2022 = [{ ID: 128, score_comments: [{ comment: { comment: 'Love the tones.' }, sum_score: 3 }] }];
    expect(parseDataset(JSON.stringify(dpc2022), 'all.json').items).toEqual([
      { id: '128', image: '128.jpg', references: ['Love the tones.'] },
    ]);
  });

  it('says what is wrong', () => {
    expect(() => parseDataset('{"image": "a.jpg"}\n', 'd.jsonl')).toThrow(
      'd.jsonl:1: "references" must be an array of strings',
    );
    expect(() => parseDataset('nope', 'd.jsonl')).toThrow('d.jsonl:1: not valid JSON');
    expect(() => parseDataset('[{"image": "a", "references": []}]', 'd.json')).toThrow('image "a" has no reference');
    expect(() =>
      parseDataset('[{"image": "a", "references": ["x"]}, {"image": "a", "references": ["y"]}]', 'd.json'),
    ).toThrow('duplicate image id "a"');
  });
});
