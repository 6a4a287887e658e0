import { describe, expect, it } from 'vitest';
import {
  cleanName,
  MAX_NAME_LENGTH,
  nextSessionName,
  sessionAfterDelete,
  sessionToOpen,
  shownSessions,
} from './names.ts';

const s = (id: string, name: string, createdAt: number, deletedAt?: number) => ({
  id,
  name,
  createdAt,
  ...(deletedAt !== undefined ? { deletedAt } : {}),
});

describe('session names', () => {
  it('list sessions oldest first, without deleted ones', () => {
    const list = [s('b', 'B', 2), s('a', 'A', 1), s('c', 'C', 3, 9)];
    expect(shownSessions(list).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('number a new session above every "Session k" shown', () => {
    expect(nextSessionName([])).toBe('Session 1');
    expect(nextSessionName([s('a', 'Session 1', 1), s('b', 'Wedding', 2)])).toBe('Session 2');
    expect(nextSessionName([s('a', 'Session 4', 1), s('b', 'Session 2', 2)])).toBe('Session 5');
    // A deleted "Session 7" does not count: its name is free again.
    expect(nextSessionName([s('a', 'Session 1', 1), s('b', 'Session 7', 2, 3)])).toBe('Session 2');
    expect(nextSessionName([s('a', 'Session 1b', 1)])).toBe('Session 1');
  });

  it('keep a typed name on one line, trimmed and bounded; an empty one is refused', () => {
    expect(cleanName('  Wedding\n  Smith \t ')).toBe('Wedding Smith');
    expect(cleanName(' \n ')).toBeNull();
    const long = cleanName('📷'.repeat(MAX_NAME_LENGTH + 5))!;
    expect([...long]).toHaveLength(MAX_NAME_LENGTH);
  });

  it('open the next session after a delete, else the one before, else none', () => {
    const list = [s('a', 'A', 1), s('b', 'B', 2), s('c', 'C', 3)];
    expect(sessionAfterDelete(list, 'b')?.id).toBe('c');
    expect(sessionAfterDelete(list, 'c')?.id).toBe('b');
    expect(sessionAfterDelete(list, 'a')?.id).toBe('b');
    expect(sessionAfterDelete([s('a', 'A', 1)], 'a')).toBeNull();
  });

  it('open on start the session open last time while it is listed', () => {
    const list = [s('a', 'A', 1), s('b', 'B', 2), s('c', 'C', 3, 4)];
    expect(sessionToOpen(list, 'b')?.id).toBe('b');
    expect(sessionToOpen(list, 'c')?.id).toBe('a');
    expect(sessionToOpen(list, undefined)?.id).toBe('a');
    expect(sessionToOpen([], 'a')).toBeNull();
  });
});
