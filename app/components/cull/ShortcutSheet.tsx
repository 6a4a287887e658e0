import { SHORTCUT_GROUPS } from '../../lib/cull/shortcuts.ts';
import { ModalDialog } from '../ModalDialog.tsx';
import './cull.css';

/** The list of every key the studio answers, opened with ? and closed with Esc. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  return (
    <ModalDialog labelledBy="shortcuts-title" className="shortcuts" onClose={onClose}>
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
    </ModalDialog>
  );
}
