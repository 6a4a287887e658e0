import { useId, useRef, type ChangeEvent } from 'react';
import { usePhotos } from '../state/photos.ts';

/** The "Add photos" file picker (multiple) and a folder picker, styled as buttons. */
export function AddPhotos({ compact = false }: { compact?: boolean }) {
  const addFiles = usePhotos((s) => s.addFiles);
  const folderRef = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const folderId = useId();

  const onChange = (e: ChangeEvent<HTMLInputElement>): void => {
    const files = e.target.files ? [...e.target.files] : [];
    // Reset so choosing the same file again fires another change.
    e.target.value = '';
    if (files.length > 0) void addFiles(files);
  };

  return (
    <div className={`add-photos${compact ? ' add-photos--compact' : ''}`}>
      <input
        id={fileId}
        className="visually-hidden"
        type="file"
        multiple
        accept="image/*,.jpg,.jpeg,.png,.webp,.avif,.gif,.bmp"
        aria-label="Add photos"
        onChange={onChange}
      />
      <label htmlFor={fileId} className="button button--primary">
        Add photos
      </label>
      <input
        id={folderId}
        ref={(el) => {
          folderRef.current = el;
          // React has no typed prop for directory picking; set the attributes directly.
          el?.setAttribute('webkitdirectory', '');
          el?.setAttribute('directory', '');
        }}
        className="visually-hidden"
        type="file"
        multiple
        aria-label="Add a folder of photos"
        onChange={onChange}
      />
      <label htmlFor={folderId} className="button">
        Add folder
      </label>
    </div>
  );
}
