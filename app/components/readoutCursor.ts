// The heatmap's keyboard readout cursor: where it is on the photo (u, v in [0, 1], across and
// down) and how the keys move it.

export interface ReadoutCursor {
  u: number;
  v: number;
}

/** An arrow key moves the cursor this fraction of the photo's side; with Shift, a fine step. */
export const CURSOR_STEP = 0.05;
export const CURSOR_FINE_STEP = 0.01;

const STEPS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

const clamp = (x: number): number => Math.min(1, Math.max(0, Math.round(x * 1e6) / 1e6));

/**
 * The cursor after `key`: arrows step it (it starts at the centre), Home and End go to the
 * row's left and right ends. Undefined for keys that do not move it.
 */
export function moveCursor(cursor: ReadoutCursor | null, key: string, fine: boolean): ReadoutCursor | undefined {
  const at = cursor ?? { u: 0.5, v: 0.5 };
  if (key === 'Home') return { u: 0, v: at.v };
  if (key === 'End') return { u: 1, v: at.v };
  const step = STEPS[key];
  if (!step) return undefined;
  if (!cursor) return at;
  const size = fine ? CURSOR_FINE_STEP : CURSOR_STEP;
  return { u: clamp(at.u + step[0] * size), v: clamp(at.v + step[1] * size) };
}

/** The photo pixel under (u, v) for a photo of width × height. */
export function cursorPixel(cursor: ReadoutCursor, width: number, height: number): { x: number; y: number } {
  return {
    x: Math.min(width - 1, Math.floor(cursor.u * width)),
    y: Math.min(height - 1, Math.floor(cursor.v * height)),
  };
}
