import { useRef } from 'react';
import { SHORTCUT_GROUPS } from '../../lib/cull/shortcuts.ts';
import { useDialogFocus } from '../useDialogFocus.ts';
import './cull.css';

/** The list of every key the studio answers, opened with ? and closed with Esc. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLElement>(null);
  useDialogFocus(dialog, true, onClose);
  return (
    <div className="shortcuts__backdrop" onClick={onClose}>
      <section
        ref={dialog}
        className="shortcuts"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="shortcuts__head">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" className="button button--small" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
        <div className="shortcuts__groups">
          {SHORTCUT_GROUPS.map((g) => (
            <section key={g.title} className="shortcuts__group">
              <h3>{g.title}</h3>
              <dl>
                {g.shortcuts.map((s) => (
                  <div key={s.does} className="shortcuts__row">
                    <dt>
                      {s.keys.map((k) => (
                        <kbd key={k}>{k}</kbd>
                      ))}
                    </dt>
                    <dd>{s.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </section>
    </div>
  );
}
