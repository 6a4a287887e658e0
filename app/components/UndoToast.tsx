import { useEffect } from 'react';

export interface UndoToastProps {
  message: string;
  onUndo(): void;
  /** Called when the toast times out or is dismissed without undo. */
  onExpire(): void;
  /** Milliseconds before the toast expires. */
  timeoutMs?: number;
}

/** A polite toast with an Undo button for a destructive action. */
export function UndoToast({ message, onUndo, onExpire, timeoutMs = 8000 }: UndoToastProps) {
  useEffect(() => {
    const t = setTimeout(onExpire, timeoutMs);
    return () => clearTimeout(t);
  }, [onExpire, timeoutMs, message]);
  return (
    <div className="toast" role="status" aria-live="polite">
      <span>{message}</span>
      <button type="button" className="button button--small" onClick={onUndo}>
        Undo
      </button>
      <button type="button" className="button button--ghost button--small" aria-label="Dismiss" onClick={onExpire}>
        ✕
      </button>
    </div>
  );
}
