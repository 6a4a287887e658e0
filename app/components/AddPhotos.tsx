import { usePhotos } from '../state/photos.ts';
import { addFolderFromPicker } from '../state/session/folderAccess.ts';
import { FilePicker } from './FilePicker.tsx';

/**
 * The "Add photos" file picker (multiple) and a folder picker, styled as buttons. Where the browser
 * opens folders by handle, the folder's photos are read from the user's files rather than copied.
 */
export function AddPhotos({ compact = false }: { compact?: boolean }) {
  const addFiles = usePhotos((s) => s.addFiles);
  const onFiles = (files: File[]): void => void addFiles(files);
  return (
    <div className={`add-photos${compact ? ' add-photos--compact' : ''}`}>
      <FilePicker
        label="Add photos"
        text="Add photos"
        multiple
        accept="image/*,.jpg,.jpeg,.png,.webp,.avif,.gif,.bmp"
        primary
        onFiles={onFiles}
      />
      <FilePicker
        label="Add a folder of photos"
        text="Add folder"
        multiple
        folder
        onFiles={onFiles}
        pickInstead={() => addFolderFromPicker(addFiles)}
      />
    </div>
  );
}
