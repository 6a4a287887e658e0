import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** Draggable, keyboard-operable divider for the swipe view: heatmap left of it, photo right. */
export function SwipeDivider({ value, onChange }: { value: number; onChange(value: number): void }) {
  const dragging = useRef(false);

  const fromPointer = (e: PointerEvent<HTMLDivElement>): void => {
    const stage = e.currentTarget.parentElement;
    if (!stage) return;
    const rect = stage.getBoundingClientRect();
    onChange(Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width)));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const steps: Record<string, number> = {
      ArrowLeft: -0.02,
      ArrowDown: -0.02,
      ArrowRight: 0.02,
      ArrowUp: 0.02,
      PageDown: -0.1,
      PageUp: 0.1,
    };
    let next: number | null = null;
    if (e.key in steps) next = value + steps[e.key]!;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = 1;
    if (next === null) return;
    e.preventDefault();
    onChange(Math.min(1, Math.max(0, next)));
  };

  return (
    <div
      className="swipe"
      role="slider"
      tabIndex={0}
      aria-label="Swipe divider: heatmap on the left, photo on the right"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value * 100)}
      aria-valuetext={`${Math.round(value * 100)}% heatmap`}
      aria-orientation="horizontal"
      style={{ left: `${value * 100}%` }}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        fromPointer(e);
      }}
      onPointerMove={(e) => {
        if (dragging.current) fromPointer(e);
      }}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
    >
      <span className="swipe__handle" aria-hidden="true" />
    </div>
  );
}
