// Reads each photo's camera data from its EXIF once its header is accepted, one photo at a time,
// in the intake worker.
import { readCamera } from '../analysis/intake.ts';
import { usePhotos } from './photos.ts';

export function startCameraReading(): void {
  let reading = false;
  const pump = async (): Promise<void> => {
    if (reading) return;
    const next = usePhotos.getState().photos.find((p) => p.cameraData === undefined && p.mimeType !== '');
    if (!next) return;
    reading = true;
    const cameraData = await readCamera(next.file);
    reading = false;
    if (usePhotos.getState().photos.some((p) => p.id === next.id)) usePhotos.getState().update(next.id, { cameraData });
    void pump();
  };
  usePhotos.subscribe(() => void pump());
  void pump();
}
