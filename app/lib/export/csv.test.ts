import { describe, expect, it } from 'vitest';
import { resultsCsv, type CsvPhoto } from './csv.ts';

/** A small RFC 4180 reader, independent of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = (): void => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  return rows;
}

const photo = (patch: Partial<CsvPhoto>): CsvPhoto => ({
  fileName: 'a.jpg',
  status: 'done',
  cull: { rating: 0, flag: 'none', label: 'none' },
  width: 10,
  height: 20,
  critique: '',
  ...patch,
});

describe('resultsCsv', () => {
  it('writes a header and one row per photo, quoting commas, quotes and line breaks', () => {
    const csv = resultsCsv([
      photo({
        fileName: 'one, two.jpg',
        score: 5.456,
        clippedHighlights: 0.01234,
        critique: 'Said "soft",\nthen sharp',
      }),
      photo({ status: 'queued', cull: { rating: 4, flag: 'reject', label: 'green' } }),
    ]);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'file',
      'status',
      'score',
      'stars',
      'flag',
      'label',
      'clipped highlights %',
      'clipped shadows %',
      'width',
      'height',
      'camera',
      'taken',
      'critique',
    ]);
    expect(rows[1]).toEqual([
      'one, two.jpg',
      'done',
      '5.46',
      '0',
      '',
      '',
      '1.23',
      '',
      '10',
      '20',
      '',
      '',
      'Said "soft",\nthen sharp',
    ]);
    expect(rows[2]).toEqual(['a.jpg', 'queued', '', '4', 'reject', 'green', '', '', '10', '20', '', '', '']);
    expect(rows).toHaveLength(3);
  });
});
