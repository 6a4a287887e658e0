// The gallery's tiles once stacks are folded: a collapsed stack is one tile (its best photo, or the
// first shown when the filter hides the best) where its first photo would be; an expanded stack
// shows its photos together, the best first; "best of each stack" shows only the bests and the
// photos alone.

export interface StackRef {
  id: string;
  members: readonly string[];
  best: string;
  reason: string;
}

export interface TileStack {
  /** The stack's photos the filter shows. */
  shown: number;
  /** The tile that stands for the stack (it carries the count and toggles it). */
  lead: boolean;
  expanded: boolean;
  best: boolean;
  reason: string;
}

export interface Tile<T> {
  photo: T;
  stack?: TileStack;
}

export function stackTiles<T extends { id: string }>(
  arranged: readonly T[],
  stackOf: (id: string) => StackRef | undefined,
  expanded: (stackId: string) => boolean,
  bestOnly: boolean,
): Tile<T>[] {
  const shownOf = new Map<string, T[]>();
  for (const photo of arranged) {
    const stack = stackOf(photo.id);
    if (stack) shownOf.set(stack.id, [...(shownOf.get(stack.id) ?? []), photo]);
  }
  const out: Tile<T>[] = [];
  const done = new Set<string>();
  for (const photo of arranged) {
    const stack = stackOf(photo.id);
    if (!stack) {
      out.push({ photo });
      continue;
    }
    if (done.has(stack.id)) continue;
    done.add(stack.id);
    const shown = shownOf.get(stack.id)!;
    const best = shown.find((p) => p.id === stack.best);
    if (bestOnly && !best) continue;
    const lead = best ?? shown[0]!;
    const open = !bestOnly && expanded(stack.id);
    const tile = (p: T, isLead: boolean): Tile<T> => ({
      photo: p,
      stack: { shown: shown.length, lead: isLead, expanded: open, best: p.id === stack.best, reason: stack.reason },
    });
    out.push(tile(lead, true));
    if (open) for (const p of shown) if (p !== lead) out.push(tile(p, false));
  }
  return out;
}
