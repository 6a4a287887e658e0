// A stored photo record for the session tests: a finished JPEG photo with a score, nothing else.
import type { PhotoRecord } from '../records.ts';

export const doneRecord = (id: string, fileName: string): PhotoRecord => ({
  id,
  fileName,
  fileSize: 3,
  mimeType: 'image/jpeg',
  status: 'done',
  width: 4,
  height: 3,
  score: 6,
  critique: '',
  critiqueStatus: 'idle',
  timings: {},
});
