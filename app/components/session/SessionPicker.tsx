import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import {
  createSession,
  deleteSession,
  forgetDeleted,
  renameSession,
  sessionPhotoCount,
  switchSession,
  undoDelete,
  useOpenCount,
  useSessions,
} from '../../state/session/sessions.ts';
import { MAX_NAME_LENGTH } from '../../lib/session/names.ts';
import { UndoToast } from '../UndoToast.tsx';
import './session.css';

const photos = (n: number): string => `${n} photo${n === 1 ? '' : 's'}`;

/** Which session is open, and New / Rename / Delete; a native select, so the keyboard works as everywhere. */
export function SessionPicker() {
  const state = useSessions();
  const openCount = useOpenCount();
  const [renaming, setRenaming] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);
  const open = state.sessions.find((s) => s.id === state.openId);
  if (!state.openId && state.ready === false && state.sessions.length === 0) return null;

  const finishRename = (name: string | null): void => {
    setRenaming(false);
    if (name !== null && open) void renameSession(open.id, name);
    requestAnimationFrame(() => renameButton.current?.focus());
  };
  const onRenameKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') finishRename(e.currentTarget.value);
    else if (e.key === 'Escape') finishRename(null);
  };

  return (
    <div className="session-picker" role="group" aria-label="Sessions" data-testid="session-picker">
      {renaming && open ? (
        <input
          className="session-picker__name"
          aria-label="Session name"
          defaultValue={open.name}
          maxLength={MAX_NAME_LENGTH}
          autoFocus
          onFocus={(e) => e.currentTarget.select()}
          onKeyDown={onRenameKey}
          onBlur={(e) => finishRename(e.currentTarget.value)}
        />
      ) : (
        <select
          className="session-picker__select"
          aria-label="Session"
          value={state.openId ?? ''}
          disabled={!state.ready}
          onChange={(e) => void switchSession(e.target.value)}
        >
          {state.sessions.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} · {photos(sessionPhotoCount(s.id, state, openCount))}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="button button--ghost button--small"
        aria-label="New session"
        title="A new, empty session (this one is kept)"
        disabled={!state.ready}
        onClick={() => void createSession()}
      >
        New
      </button>
      <button
        ref={renameButton}
        type="button"
        className="button button--ghost button--small"
        aria-label="Rename session"
        disabled={!state.ready || renaming}
        onClick={() => setRenaming(true)}
      >
        Rename
      </button>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-label="Delete session"
        title="Delete this session, its photos, results and culls (can be undone)"
        disabled={!state.ready || !open}
        onClick={() => open && void deleteSession(open.id)}
      >
        Delete
      </button>
      {state.error && (
        <p className="session-picker__error" role="alert">
          {state.error}
        </p>
      )}
      <DeletedSessionToast />
    </div>
  );
}

function DeletedSessionToast() {
  const deleted = useSessions((s) => s.deleted);
  const counts = useSessions((s) => s.counts);
  const expire = useCallback(() => void forgetDeleted(), []);
  if (!deleted) return null;
  return (
    <UndoToast
      message={`Deleted the session “${deleted.session.name}” (${photos(counts[deleted.session.id] ?? 0)})`}
      onUndo={() => void undoDelete()}
      onExpire={expire}
      timeoutMs={12_000}
    />
  );
}
