import { useId, type ChangeEvent } from 'react';

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
  const onChange = (e: ChangeEvent<HTMLInputElement>): void => {
    const files = e.target.files ? [...e.target.files] : [];
    e.target.value = '';
    if (files.length > 0) props.onFiles(files);
  };
  return (
    <>
      <input
        id={id}
        className="visually-hidden"
        type="file"
        multiple={props.multiple ?? false}
        accept={props.accept}
        aria-label={props.label}
        ref={(el) => {
          // React has no typed prop for directory picking; set the attributes directly.
          if (props.folder) {
            el?.setAttribute('webkitdirectory', '');
            el?.setAttribute('directory', '');
          }
        }}
        onChange={onChange}
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
