import { describe, expect, it } from 'vitest';
import { gridStep } from './gridKeys.ts';

// Seven items in two columns:  0 1 / 2 3 / 4 5 / 6
const grid = { count: 7, columns: 2, horizontal: false };

describe('gridStep', () => {
  it('moves by one sideways and by a row up and down', () => {
    expect(gridStep('ArrowRight', 2, grid)).toBe(3);
    expect(gridStep('ArrowLeft', 2, grid)).toBe(1);
    expect(gridStep('ArrowDown', 1, grid)).toBe(3);
    expect(gridStep('ArrowUp', 3, grid)).toBe(1);
  });

  it('stops at the ends and goes to the nearest item of a short last row', () => {
    expect(gridStep('ArrowRight', 6, grid)).toBe(6);
    expect(gridStep('ArrowLeft', 0, grid)).toBe(0);
    expect(gridStep('ArrowUp', 1, grid)).toBe(1);
    expect(gridStep('ArrowDown', 5, grid)).toBe(6);
    expect(gridStep('ArrowDown', 6, grid)).toBe(6);
    expect(gridStep('Home', 4, grid)).toBe(0);
    expect(gridStep('End', 0, grid)).toBe(6);
  });

  it('keeps up and down still in a sideways strip, and ignores other keys', () => {
    const strip = { count: 7, columns: 1, horizontal: true };
    expect(gridStep('ArrowDown', 3, strip)).toBe(3);
    expect(gridStep('ArrowUp', 3, strip)).toBe(3);
    expect(gridStep('ArrowRight', 3, strip)).toBe(4);
    expect(gridStep('a', 3, strip)).toBeUndefined();
  });
});
