import { beforeEach, describe, expect, it } from 'vitest';
import { cullOf, useCulling } from './culling.ts';

describe('culling store', () => {
  beforeEach(() => useCulling.getState().replaceAll({}));

  it('keeps stars, flag and label of each photo apart', () => {
    const c = useCulling.getState();
    c.setRating('a', 4);
    c.setFlag('a', 'pick');
    c.setFlag('b', 'reject');
    c.toggleLabel('b', 'green');
    const { byId } = useCulling.getState();
    expect(cullOf(byId, 'a')).toEqual({ rating: 4, flag: 'pick', label: 'none' });
    expect(cullOf(byId, 'b')).toEqual({ rating: 0, flag: 'reject', label: 'green' });
    expect(cullOf(byId, 'c')).toEqual({ rating: 0, flag: 'none', label: 'none' });
  });

  it('toggles a label off when the photo already has it, and switches to another', () => {
    const c = useCulling.getState();
    c.toggleLabel('a', 'red');
    c.toggleLabel('a', 'red');
    expect(cullOf(useCulling.getState().byId, 'a').label).toBe('none');
    c.toggleLabel('a', 'red');
    c.toggleLabel('a', 'blue');
    expect(cullOf(useCulling.getState().byId, 'a').label).toBe('blue');
  });

  it('rates, flags and labels several photos at once; a label all of them have is cleared from all', () => {
    const c = useCulling.getState();
    c.setRating('a', 2);
    c.toggleLabel('b', 'red');
    c.cullAll(['a', 'b', 'c'], { rating: 5 });
    c.cullAll(['a', 'c'], { flag: 'pick' });
    c.cullAll(['a', 'b'], { label: 'red' });
    const after = (id: string) => cullOf(useCulling.getState().byId, id);
    expect(['a', 'b', 'c'].map(after)).toEqual([
      { rating: 5, flag: 'pick', label: 'red' },
      { rating: 5, flag: 'none', label: 'red' },
      { rating: 5, flag: 'pick', label: 'none' },
    ]);
    c.cullAll(['a', 'b'], { label: 'red' });
    expect(['a', 'b'].map((id) => after(id).label)).toEqual(['none', 'none']);
    expect(after('d')).toEqual({ rating: 0, flag: 'none', label: 'none' });
  });
});
