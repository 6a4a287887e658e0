import { usePhotos } from '../state/photos.ts';
import { FilePicker } from './FilePicker.tsx';

/** The "Add photos" file picker (multiple) and a folder picker, styled as buttons. */
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
      <FilePicker label="Add a folder of photos" text="Add folder" multiple folder onFiles={onFiles} />
    </div>
  );
}
