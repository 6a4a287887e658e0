// What the user is told about the kept session: restoring, bytes kept, room left, photos not kept.
import { create } from 'zustand';

export interface SessionState {
  /** Until the stored session is read: the gallery says it is being restored. */
  restoring: boolean;
  /** Bytes of photo files of the open session kept on this device. */
  keptBytes: number;
  /** Origin storage used and available, as the browser reports them (0 when unknown). */
  usage: number;
  quota: number;
  /** Photos the device had no room for: they are here until the tab closes. */
  unkept: string[];
  /** Why the session cannot be kept at all (no IndexedDB, private mode), or null. */
  unavailable: string | null;
}

export const useSession = create<SessionState>()(() => ({
  restoring: true,
  keptBytes: 0,
  usage: 0,
  quota: 0,
  unkept: [],
  unavailable: null,
}));

export async function refreshEstimate(): Promise<void> {
  try {
    const estimate = await navigator.storage?.estimate?.();
    if (estimate) useSession.setState({ usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 });
  } catch {
    // No StorageManager: the figures stay unknown.
  }
}
