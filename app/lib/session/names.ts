// Naming and ordering the user's sessions: pure rules the session store follows.

export interface NamedSession {
  id: string;
  name: string;
  createdAt: number;
  deletedAt?: number;
}

/** Longest name kept, in characters (the picker shows the name in one line). */
export const MAX_NAME_LENGTH = 60;

/** Sessions the picker lists: not deleted, oldest first. */
export function shownSessions<T extends NamedSession>(sessions: readonly T[]): T[] {
  return sessions.filter((s) => s.deletedAt === undefined).sort((a, b) => a.createdAt - b.createdAt);
}

/** "Session N" with N above every "Session k" listed, so a new name never repeats one shown. */
export function nextSessionName(sessions: readonly NamedSession[]): string {
  let highest = 0;
  for (const s of shownSessions(sessions)) {
    const n = /^Session (\d+)$/.exec(s.name)?.[1];
    if (n) highest = Math.max(highest, Number(n));
  }
  return `Session ${highest + 1}`;
}

/** A typed name as kept: one line, spaces collapsed, at most MAX_NAME_LENGTH characters; null when empty. */
export function cleanName(typed: string): string | null {
  const name = [...typed.replace(/\s+/g, ' ').trim()].slice(0, MAX_NAME_LENGTH).join('').trim();
  return name === '' ? null : name;
}

/** The session to open when `deletedId` goes: the next one listed, else the one before, else none. */
export function sessionAfterDelete<T extends NamedSession>(sessions: readonly T[], deletedId: string): T | null {
  const shown = shownSessions(sessions);
  const at = shown.findIndex((s) => s.id === deletedId);
  const rest = shown.filter((s) => s.id !== deletedId);
  if (rest.length === 0) return null;
  return rest[Math.min(Math.max(at, 0), rest.length - 1)]!;
}

/** The session to open on start: the one open last time if it is still listed, else the first listed. */
export function sessionToOpen<T extends NamedSession>(sessions: readonly T[], recorded: string | undefined): T | null {
  const shown = shownSessions(sessions);
  return shown.find((s) => s.id === recorded) ?? shown[0] ?? null;
}
