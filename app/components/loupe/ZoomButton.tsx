/**
 * The zoom level over the photo ("Fit", "100 %", "250 %"); pressing it does what Z does, so a
 * touch screen without a keyboard can go to 1:1 and back.
 */
export function ZoomButton({ zoom, onToggle }: { zoom: number | null; onToggle(): void }) {
  const level = zoom === null ? 'Fit' : `${Math.round(zoom * 100)} %`;
  return (
    <button
      type="button"
      className="heatmap__zoom"
      data-testid="zoom-level"
      aria-label={zoom === null ? 'Zoom: fit. Zoom to 1:1 (Z)' : `Zoom: ${level}. Back to fit (Z)`}
      onClick={onToggle}
      // The stage's own gestures would take the press for a pan.
      onPointerDown={(e) => e.stopPropagation()}
    >
      {level}
    </button>
  );
}
