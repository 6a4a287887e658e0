// Every key the studio answers, for the shortcut sheet (?). Keep in step with the handlers.

export interface Shortcut {
  keys: string[];
  does: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  {
    title: 'Rate and flag (the selected photo, or every photo chosen)',
    shortcuts: [
      { keys: ['0'], does: 'No stars' },
      { keys: ['1', '2', '3', '4', '5'], does: 'One to five stars' },
      { keys: ['P'], does: 'Flag as pick' },
      { keys: ['X'], does: 'Flag as rejected' },
      { keys: ['U'], does: 'Remove the flag' },
      { keys: ['6'], does: 'Red label (again to remove)' },
      { keys: ['7'], does: 'Yellow label' },
      { keys: ['8'], does: 'Green label' },
      { keys: ['9'], does: 'Blue label' },
    ],
  },
  {
    title: 'Gallery (when it has focus)',
    shortcuts: [
      { keys: ['←', '→'], does: 'Previous / next photo' },
      { keys: ['↑', '↓'], does: 'Photo above / below' },
      { keys: ['Home', 'End'], does: 'First / last photo' },
      { keys: ['Shift', '←→↑↓'], does: 'Extend the photos chosen (Shift+Home / End: to the first / last)' },
      { keys: ['Enter'], does: 'Go to the photo view' },
      { keys: ['Delete'], does: 'Remove the photo (with undo)' },
      { keys: ['S'], does: 'Expand / collapse the photo’s stack of near-duplicates' },
    ],
  },
  {
    title: 'Photo view',
    shortcuts: [
      { keys: ['Z'], does: 'Zoom to 1:1 (100 %) about the pointer, and back to fit' },
      { keys: ['Wheel', 'Pinch'], does: 'Zoom in or out about the pointer (up to 800 %)' },
      { keys: ['Double-click'], does: 'Zoom to 1:1 there, and back to fit' },
      { keys: ['Drag'], does: 'Pan the zoomed photo' },
      { keys: ['←', '→', '↑', '↓'], does: 'Read the saliency at a point (photo focused); pan when zoomed' },
      { keys: ['Shift', '←→↑↓'], does: 'Fine steps of the saliency point (zoomed: move it)' },
      { keys: ['J'], does: 'Show clipped highlights and shadows' },
      { keys: ['Ctrl/⌘-click'], does: 'Choose gallery photos to compare or survey (again to unchoose)' },
      { keys: ['Shift-click'], does: 'Choose every gallery photo from the last one clicked to this one' },
      { keys: ['Select'], does: 'Touch: tap photos to choose them; Compare / Survey buttons once two are' },
      { keys: ['C'], does: 'Compare two chosen photos (else the photo and the next), zoom and pan locked' },
      { keys: ['N'], does: 'Survey the chosen photos (else the photo and the next few) in a grid' },
      { keys: ['Esc'], does: 'Back from compare or survey to the single photo' },
    ],
  },
  {
    title: 'Anywhere in the studio',
    shortcuts: [
      { keys: ['?'], does: 'This list of keys' },
      { keys: ['Esc'], does: 'Close this list' },
    ],
  },
];
