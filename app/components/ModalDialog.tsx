import { useEffect, useRef, type ReactNode, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]';

/**
 * Keeps keyboard focus inside an open modal dialog: Tab and Shift+Tab cycle through its controls,
 * a press behind the backdrop does not take focus, focus that lands outside is brought back, and Escape calls
 * `onEscape` when given.
 */
function useDialogFocus(dialog: RefObject<HTMLElement | null>, open: boolean, onEscape: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (e: KeyboardEvent): void => {
      const root = dialog.current;
      if (!root) return;
      if (e.key === 'Escape' && onEscape) {
        e.preventDefault();
        onEscape();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const inside = root.contains(document.activeElement);
      if (e.shiftKey && (!inside || document.activeElement === first || document.activeElement === root)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (!inside || document.activeElement === last)) {
        e.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (e: FocusEvent): void => {
      const root = dialog.current;
      if (root && e.target instanceof Node && !root.contains(e.target)) {
        root.querySelector<HTMLElement>(FOCUSABLE)?.focus();
      }
    };
    // A press outside the dialog would move focus to the page behind: keep it where it is.
    const onMouseDown = (e: MouseEvent): void => {
      const root = dialog.current;
      if (root && e.target instanceof Node && !root.contains(e.target)) e.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('mousedown', onMouseDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('mousedown', onMouseDown);
    };
  }, [dialog, open, onEscape]);
}

interface ModalDialogProps {
  /** Id of the element that names the dialog (its heading). */
  labelledBy: string;
  describedBy?: string;
  /** The dialog's own class, for its width and layout. */
  className: string;
  /** Escape, and a click on the backdrop unless `keepOnBackdrop`. */
  onClose(): void;
  keepOnBackdrop?: boolean;
  testId?: string;
  children: ReactNode;
}

/** A modal dialog over a dimmed page: focus stays inside and Escape closes it. */
export function ModalDialog({
  labelledBy,
  describedBy,
  className,
  onClose,
  keepOnBackdrop,
  testId,
  children,
}: ModalDialogProps) {
  const dialog = useRef<HTMLElement>(null);
  useDialogFocus(dialog, true, onClose);
  return (
    <div className="modal-backdrop" onClick={keepOnBackdrop ? undefined : onClose}>
      <section
        ref={dialog}
        className={`modal ${className}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
      >
        {children}
      </section>
    </div>
  );
}
