// Lightroom's culling keys: 0–5 stars, 6–9 colour labels, P/X/U flags, S expands or collapses a
// stack; ? opens the key sheet.
import type { ColourLabel, Flag, Rating } from './types.ts';

export type CullAction =
  | { kind: 'rating'; rating: Rating }
  | { kind: 'flag'; flag: Flag }
  | { kind: 'label'; label: Exclude<ColourLabel, 'none'> }
  | { kind: 'stack' }
  | { kind: 'shortcuts' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const LABEL_KEYS: Record<string, Exclude<ColourLabel, 'none'>> = {
  '6': 'red',
  '7': 'yellow',
  '8': 'green',
  '9': 'blue',
};
const FLAG_KEYS: Record<string, Flag> = { p: 'pick', x: 'reject', u: 'none' };

/** The culling action a key press asks for, or null (modified presses are left to the browser). */
export function cullActionFor(e: KeyLike): CullAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === '?') return { kind: 'shortcuts' };
  if (e.key.toLowerCase() === 's') return { kind: 'stack' };
  if (/^[0-5]$/.test(e.key)) return { kind: 'rating', rating: Number(e.key) as Rating };
  const label = LABEL_KEYS[e.key];
  if (label) return { kind: 'label', label };
  const flag = FLAG_KEYS[e.key.toLowerCase()];
  return flag ? { kind: 'flag', flag } : null;
}

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'time']);

/** Whether a key press goes to something the user types in (a field, a list to pick from): shortcuts stay off. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type);
  return target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
}
