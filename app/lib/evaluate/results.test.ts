import { describe, expect, it } from 'vitest';
import { DEMO_MODELS_WARNING, noteText, unscoredNotes } from './notes.ts';
import { buildReport, isSettled, photoResult, reportMarkdown, scoreResults, type PhotoSnapshot } from './results.ts';

const entry = (id: string, refs = ['a photo of a cat on a mat']) => ({ id, fileName: `${id}.jpg`, references: refs });
const photo = (patch: Partial<PhotoSnapshot>): PhotoSnapshot => ({
  status: 'done',
  critiqueStatus: 'done',
  critique: '',
  ...patch,
});

describe('photoResult', () => {
  it('maps studio photo states to evaluation states', () => {
    expect(photoResult(entry('a'), undefined).state).toBe('removed');
    expect(photoResult(entry('a'), photo({ status: 'queued', critiqueStatus: 'idle' })).state).toBe('waiting');
    expect(photoResult(entry('a'), photo({ status: 'critiquing', critiqueStatus: 'streaming' })).state).toBe(
      'critiquing',
    );
    expect(photoResult(entry('a'), photo({ status: 'failed', error: 'truncated JPEG' }))).toMatchObject({
      state: 'failed',
      error: 'truncated JPEG',
    });
    expect(photoResult(entry('a'), photo({ critiqueStatus: 'stopped' })).state).toBe('failed');
    expect(photoResult(entry('a'), photo({ critique: 'nice', score: 5 }))).toMatchObject({ state: 'done', score: 5 });
  });

  it('is settled only when no photo has work left', () => {
    const done = photoResult(entry('a'), photo({}));
    const busy = photoResult(entry('b'), photo({ status: 'analysing', critiqueStatus: 'idle' }));
    expect(isSettled([done])).toBe(true);
    expect(isSettled([done, busy])).toBe(false);
  });
});

describe('scoreResults', () => {
  it('scores finished critiques only; an exact reference gets BLEU-1 = 1', () => {
    const results = [
      photoResult(entry('a'), photo({ critique: 'A photo of a cat on a mat.' })),
      photoResult(entry('b'), photo({ status: 'failed', error: 'bad file' })),
    ];
    const { evaluation, photos } = scoreResults(results);
    expect(Object.keys(evaluation!.perImage)).toEqual(['a']);
    // Hand-checked: after PTB tokenisation the candidate equals the reference word for word.
    expect(evaluation!.metrics['BLEU-1']).toBeCloseTo(1, 6);
    expect(evaluation!.metrics.Precision).toBeCloseTo(1, 6);
    expect(photos[0]!.metrics?.['BLEU-1']).toBeCloseTo(1, 6);
    expect(photos[1]!.metrics).toBeUndefined();
  });

  it('has no metrics when nothing finished', () => {
    expect(scoreResults([photoResult(entry('a'), undefined)]).evaluation).toBeNull();
  });
});

describe('reportMarkdown', () => {
  it('lays out Table I, marks SPICE unavailable and keeps critiques inside their table cell', () => {
    const { evaluation, photos } = scoreResults([
      photoResult(entry('a'), photo({ critique: 'a cat | on\na mat', score: 4.25 })),
    ]);
    const report = buildReport({
      createdAt: '2026-11-22T00:00:00.000Z',
      references: { source: 'refs.json', format: 'generic' },
      packs: { iasm: 'fixture-clip', critic: 'fixture-smolvlm' },
      demo: false,
      settings: { guidance: true, iasvit: false, maxNewTokens: 8, doSample: false },
      evaluation,
      photos,
      notes: [],
    });
    const md = reportMarkdown(report);
    expect(report.warnings).toEqual([]);
    expect(md).not.toContain('Demo models');
    expect(md).toContain('| Method | BLEU-1 | BLEU-2 | BLEU-3 | BLEU-4 | METEOR | ROUGE-L | CIDEr | SPICE | SPICE-L |');
    expect(md).toMatch(/SPICE: needs the SPICE scene-graph parser/);
    expect(md).toContain('| a.jpg | 4.250 |');
    expect(md).toContain('a cat \\| on a mat |');
    expect(report.scored).toBe(1);
  });

  it('carries the demo warning, the notes and each critique beside its references, escaped', () => {
    const refs = ['A cat on a mat.', 'Soft light, <b>centred</b>.'];
    const { evaluation, photos } = scoreResults([
      photoResult(entry('a', refs), photo({ critique: '# not a heading <img src=x>', score: 4 })),
    ]);
    const notes = unscoredNotes({ photosWithoutReferences: ['b.jpg'], referencesWithoutPhotos: ['c'] }, 'refs.json', 2);
    const report = buildReport({
      createdAt: '2026-11-22T00:00:00.000Z',
      references: { source: 'refs.json', format: 'generic' },
      packs: { iasm: 'fixture-clip', critic: 'fixture-smolvlm' },
      demo: true,
      settings: { guidance: true, iasvit: false, maxNewTokens: 8, doSample: false },
      evaluation,
      photos,
      notes: notes.map(noteText),
    });
    expect(report.warnings).toEqual([
      DEMO_MODELS_WARNING,
      '1 photo has no references in refs.json and will not be evaluated: b.jpg',
      '1 reference set without a photo (not scored): c',
    ]);
    const md = reportMarkdown(report);
    expect(md).toContain(`# AesLens evaluation\n\n**${DEMO_MODELS_WARNING}.**\n\n> Note: 1 photo has no references`);
    expect(md).toContain('> Note: 1 reference set without a photo (not scored): c');
    expect(md).toContain(
      '### a.jpg\n\nCritique: \\# not a heading \\<img src=x\\>\n\nReferences:\n\n- A cat on a mat.\n- Soft light, \\<b\\>centred\\</b\\>.',
    );
    expect(md).not.toMatch(/(^|[^\\])<(b|img)/m);
  });
});
