import { useCallback, useEffect, useId, useRef } from 'react';

/** Inputs that already report their picks (React may attach a ref twice to one element). */
const listening = new WeakSet<HTMLInputElement>();

/**
 * A visually hidden file input with a button-styled label (keyboard focus shows on the label).
 * `folder` picks a whole folder. Choosing the same files again fires `onFiles` again.
 */
export function FilePicker(props: {
  label: string;
  text: string;
  accept?: string;
  folder?: boolean;
  multiple?: boolean;
  primary?: boolean;
  onFiles(files: File[]): void;
  /** Opens another picker instead of the file dialog when it returns true (a folder by handle). */
  pickInstead?(): boolean;
}) {
  const id = useId();
  const onFiles = useRef(props.onFiles);
  useEffect(() => {
    onFiles.current = props.onFiles;
  });
  const { folder } = props;
  const attach = useCallback(
    (el: HTMLInputElement | null) => {
      if (!el || listening.has(el)) return;
      listening.add(el);
      // React has no typed prop for directory picking; set the attributes directly.
      if (folder) {
        el.setAttribute('webkitdirectory', '');
        el.setAttribute('directory', '');
      }
      // A listener of the element's own, kept when it leaves the page: files picked in a dialog
      // that stayed open while the studio's layout replaced this picker (a session restored behind
      // it, say) still arrive; React would not see a change on a detached input.
      el.addEventListener('change', () => {
        const files = el.files ? [...el.files] : [];
        el.value = '';
        if (files.length > 0) onFiles.current(files);
      });
    },
    [folder],
  );
  return (
    <>
      <input
        id={id}
        className="visually-hidden"
        type="file"
        multiple={props.multiple ?? false}
        accept={props.accept}
        aria-label={props.label}
        ref={attach}
        onClick={(e) => {
          if (props.pickInstead?.()) e.preventDefault();
        }}
      />
      <label htmlFor={id} className={`button${props.primary ? ' button--primary' : ''}`}>
        {props.text}
      </label>
    </>
  );
}
