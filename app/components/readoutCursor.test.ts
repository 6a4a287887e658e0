import { describe, expect, it } from 'vitest';
import { CURSOR_FINE_STEP, CURSOR_STEP, cursorPixel, moveCursor } from './readoutCursor.ts';

describe('heatmap readout cursor', () => {
  it('appears at the centre on the first arrow, then steps, finely with Shift, and stays on the photo', () => {
    let c = moveCursor(null, 'ArrowRight', false)!;
    expect(c).toEqual({ u: 0.5, v: 0.5 });
    c = moveCursor(c, 'ArrowRight', false)!;
    expect(c).toEqual({ u: 0.5 + CURSOR_STEP, v: 0.5 });
    c = moveCursor(c, 'ArrowUp', true)!;
    expect(c).toEqual({ u: 0.55, v: 0.5 - CURSOR_FINE_STEP });
    for (let i = 0; i < 30; i++) c = moveCursor(c, 'ArrowDown', false)!;
    expect(c.v).toBe(1);
    c = moveCursor(c, 'Home', false)!;
    expect(c).toEqual({ u: 0, v: 1 });
    c = moveCursor(c, 'ArrowLeft', false)!;
    expect(c.u).toBe(0);
    expect(moveCursor(c, 'End', false)).toEqual({ u: 1, v: 1 });
    expect(moveCursor(c, 'Enter', false)).toBeUndefined();
    expect(moveCursor(null, 'a', false)).toBeUndefined();
  });

  it('names the photo pixel under it, the far edges included', () => {
    expect(cursorPixel({ u: 0.5, v: 0.5 }, 451, 300)).toEqual({ x: 225, y: 150 });
    expect(cursorPixel({ u: 1, v: 1 }, 451, 300)).toEqual({ x: 450, y: 299 });
    expect(cursorPixel({ u: 0, v: 0 }, 40000, 20)).toEqual({ x: 0, y: 0 });
  });
});
