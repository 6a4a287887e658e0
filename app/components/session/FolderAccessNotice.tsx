import { useState } from 'react';
import { useFolderAccess, useFolderError, waitingFolders } from '../../state/session/folderAccess.ts';
import { grantFolderAccess } from '../../state/session/persist.ts';
import { clearSession } from '../../state/session/clear.ts';
import { usePhotos } from '../../state/photos.ts';
import './session.css';

/**
 * Photos read from the user's folders wait for the browser's permission on a new visit: says which
 * folders and how many photos, with a button that asks (the browser shows its own prompt).
 */
export function FolderAccessNotice() {
  const waiting = useFolderAccess((s) => s.waiting);
  const error = useFolderError((s) => s.error);
  // With no photo shown the studio has no session bar: its Clear session is offered here.
  const empty = usePhotos((s) => s.photos.length === 0);
  const [asking, setAsking] = useState(false);
  if (waiting.length === 0 && !error) return null;
  const folders = waitingFolders(waiting);
  const named = folders.map((f) => `“${f}”`).join(', ');
  const n = waiting.length;
  const ask = async (): Promise<void> => {
    setAsking(true);
    try {
      await grantFolderAccess();
    } finally {
      setAsking(false);
    }
  };
  return (
    <div className="folder-access" data-testid="folder-access">
      {n > 0 && (
        <>
          <p className="folder-access__text">
            {n} photo{n === 1 ? '' : 's'} of this session {n === 1 ? 'is' : 'are'} read from{' '}
            {folders.length === 1 ? 'the folder' : 'the folders'} {named} on this device, not copied. The browser asks
            you again before AesLens may read {folders.length === 1 ? 'it' : 'them'}.
          </p>
          <button type="button" className="button button--small" disabled={asking} onClick={() => void ask()}>
            Allow reading {named}
          </button>
          {empty && (
            <button type="button" className="button button--ghost button--small" onClick={clearSession}>
              Clear session
            </button>
          )}
        </>
      )}
      {error && (
        <p className="folder-access__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
