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
});
