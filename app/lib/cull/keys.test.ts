import { describe, expect, it } from 'vitest';
import { cullActionFor, type KeyLike } from './keys.ts';
import { describeCull } from './types.ts';

const press = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('cullActionFor', () => {
  it('maps 0–5 to stars, 6–9 to Lightroom’s red, yellow, green, blue', () => {
    expect(['0', '1', '2', '3', '4', '5'].map((k) => cullActionFor(press(k)))).toEqual(
      [0, 1, 2, 3, 4, 5].map((rating) => ({ kind: 'rating', rating })),
    );
    expect(['6', '7', '8', '9'].map((k) => cullActionFor(press(k)))).toEqual(
      ['red', 'yellow', 'green', 'blue'].map((label) => ({ kind: 'label', label })),
    );
  });

  it('maps P, X, U in either case to pick, reject, unflag and ? to the key sheet', () => {
    expect(cullActionFor(press('p'))).toEqual({ kind: 'flag', flag: 'pick' });
    expect(cullActionFor(press('X'))).toEqual({ kind: 'flag', flag: 'reject' });
    expect(cullActionFor(press('u'))).toEqual({ kind: 'flag', flag: 'none' });
    expect(cullActionFor(press('?'))).toEqual({ kind: 'shortcuts' });
  });

  it('maps S in either case to expanding or collapsing the stack', () => {
    expect(cullActionFor(press('s'))).toEqual({ kind: 'stack' });
    expect(cullActionFor(press('S'))).toEqual({ kind: 'stack' });
    expect(cullActionFor(press('s', { ctrlKey: true }))).toBeNull();
  });

  it('leaves modified presses and other keys to the browser', () => {
    expect(cullActionFor(press('p', { ctrlKey: true }))).toBeNull();
    expect(cullActionFor(press('1', { metaKey: true }))).toBeNull();
    expect(cullActionFor(press('x', { altKey: true }))).toBeNull();
    expect(cullActionFor(press('j'))).toBeNull();
    expect(cullActionFor(press('Enter'))).toBeNull();
  });
});

describe('describeCull', () => {
  it('says what is set and nothing when nothing is', () => {
    expect(describeCull({ rating: 0, flag: 'none', label: 'none' })).toBe('');
    expect(describeCull({ rating: 1, flag: 'reject', label: 'none' })).toBe('1 star, rejected');
    expect(describeCull({ rating: 3, flag: 'pick', label: 'red' })).toBe('3 stars, pick, red label');
  });
});
