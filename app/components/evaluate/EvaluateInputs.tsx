import { useState, type DragEvent } from 'react';
import { filesFromDrop } from '../DropZone.tsx';
import { FilePicker } from '../FilePicker.tsx';
import { unscoredNotes } from '../../lib/evaluate/notes.ts';
import { matchPhotos } from '../../lib/evaluate/references.ts';
import { useEvaluation } from '../../state/evaluation.ts';

const FORMAT_NAMES: Record<string, string> = {
  generic: 'generic',
  pccd: 'PCCD',
  rpcd: 'RPCD',
  'dpc-captions': 'DPC-Captions',
  dpc2022: 'DPC2022',
};

/** A file picker in its own box (the view's focus style is scoped to it). */
function Picker(props: Parameters<typeof FilePicker>[0]) {
  return (
    <span className="eval-picker">
      <FilePicker {...props} />
    </span>
  );
}

/** Drop area and pickers for the photos and the references file, with what was matched and what was not. */
export function EvaluateInputs() {
  const photos = useEvaluation((s) => s.photos);
  const references = useEvaluation((s) => s.references);
  const referencesError = useEvaluation((s) => s.referencesError);
  const { setPhotos, setReferencesFile, addDropped } = useEvaluation.getState();
  const [dragging, setDragging] = useState(false);
  const match = references ? matchPhotos(photos, references.items) : null;

  // Drags over this area are this view's: the page-wide drop zone (which adds to the studio) never sees them.
  const own = (e: DragEvent): boolean => {
    if (!e.dataTransfer.types.includes('Files')) return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  };
  const onDrop = (e: DragEvent): void => {
    if (!own(e)) return;
    setDragging(false);
    void filesFromDrop(e.dataTransfer).then((files) => addDropped(files));
  };

  return (
    <section
      className={`eval-inputs${dragging ? ' eval-inputs--drag' : ''}`}
      aria-label="Photos and references"
      onDragEnter={(e) => own(e) && setDragging(true)}
      onDragOver={(e) => {
        if (own(e)) e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (own(e) && !e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <p className="eval-inputs__hint">
        Drop a folder of photos and a references JSON here, or pick them. References:{' '}
        <code>{'{"<image id or file name>": ["reference", …]}'}</code> — ids match file names with or without extension;
        PCCD, RPCD, DPC-Captions, DPC2022 and generic JSON/JSONL datasets work too.
      </p>
      <div className="eval-inputs__row">
        <Picker label="Photos to evaluate" text="Photos" multiple accept="image/*" onFiles={setPhotos} />
        <Picker label="Folder of photos to evaluate" text="Folder" multiple folder onFiles={setPhotos} />
        <Picker
          label="References JSON"
          text="References JSON"
          accept=".json,.jsonl,application/json"
          onFiles={(files) => void setReferencesFile(files[0]!)}
        />
      </div>
      <dl className="eval-inputs__facts">
        <div>
          <dt>Photos</dt>
          <dd data-testid="eval-photo-count">{photos.length === 0 ? 'none yet' : `${photos.length}`}</dd>
        </div>
        <div>
          <dt>References</dt>
          <dd>
            {references
              ? `${references.source}: ${references.items.length} image${references.items.length === 1 ? '' : 's'} (${FORMAT_NAMES[references.format] ?? references.format})`
              : 'none yet'}
          </dd>
        </div>
        {match && (
          <div>
            <dt>Matched</dt>
            <dd data-testid="eval-matched">{match.matched.length}</dd>
          </div>
        )}
      </dl>
      {referencesError && (
        <p className="alert" role="alert">
          <span>
            <strong>References not usable</strong>: {referencesError}
          </span>
        </p>
      )}
      {match &&
        references &&
        unscoredNotes(match, references.source, photos.length).map((note) => (
          <p key={note.title} className="notice" role="status" data-testid="eval-note">
            <strong>{note.title}</strong> {note.detail}
          </p>
        ))}
    </section>
  );
}
