// Stacks of near-duplicates among the photos, kept up to date as hashes and embeddings arrive,
// with the best of each and why; and which stacks the user expanded. New photos are compared in
// slices between frames, so adding thousands never blocks the page.
import { create } from 'zustand';
import { findIasmPack } from '../../models/packs/registry.ts';
import { pickBest } from '../lib/cull/stackBest.ts';
import { NearGraph, unit, type StackInput } from '../lib/cull/stacks.ts';
import { usePhotos, type Photo } from './photos.ts';

export interface Stack {
  /** The stack's first photo in the order added: stable while photos join and leave. */
  id: string;
  /** Its photos in the order added. */
  members: string[];
  best: string;
  /** Why the best is best, in a few words. */
  reason: string;
}

export interface StacksState {
  /** Each stacked photo's stack (photos alone have none). */
  byPhoto: Record<string, Stack>;
  /** Stack ids the user expanded. */
  expanded: Record<string, true>;
  /** The stack the user collapsed last, if it is still collapsed. */
  collapsedByUser: string | null;
  /** Expands or collapses the stack holding the photo (Lightroom's S). */
  toggle(photoId: string): void;
  /** Expands a stack (one that formed around the photo open). */
  expand(stackId: string): void;
}

export const useStacks = create<StacksState>()((set, get) => ({
  byPhoto: {},
  expanded: {},
  collapsedByUser: null,
  toggle(photoId) {
    const stack = get().byPhoto[photoId];
    if (!stack) return;
    const { [stack.id]: open, ...rest } = get().expanded;
    set(
      open
        ? { expanded: rest, collapsedByUser: stack.id }
        : { expanded: { ...rest, [stack.id]: true }, collapsedByUser: null },
    );
  },
  expand(stackId) {
    set((s) => ({ expanded: { ...s.expanded, [stackId]: true } }));
  },
}));

/** Time one slice of comparisons may take before yielding to the page. */
const SLICE_MS = 8;

const graph = new NearGraph();
const units = new WeakMap<Float32Array, Float32Array>();
let pending: StackInput[] = [];
let scheduled = false;

/** Only a trained pack's embedding says what a photo shows (a demo model's is noise). */
function inputOf(photo: Photo): StackInput {
  const pack = photo.packs?.iasm;
  const trained = pack !== undefined && findIasmPack(pack)?.fixture !== true;
  let embedding: StackInput['embedding'];
  if (photo.embedding && trained) {
    let u = units.get(photo.embedding);
    if (!u) units.set(photo.embedding, (u = unit(photo.embedding)));
    embedding = { pack, unit: u };
  }
  return { id: photo.id, ...(photo.visualHash ? { hash: photo.visualHash } : {}), ...(embedding ? { embedding } : {}) };
}

function stacksOf(photos: readonly Photo[]): Record<string, Stack> {
  const byId = new Map(photos.map((p) => [p.id, p]));
  const out: Record<string, Stack> = {};
  for (const members of graph.groups(photos.map((p) => p.id))) {
    const pick = pickBest(
      members.map((id) => {
        const p = byId.get(id)!;
        return {
          id,
          ...(p.score !== undefined ? { score: p.score } : {}),
          ...(p.measurement ? { attributes: p.measurement.attributes } : {}),
        };
      }),
    );
    const stack: Stack = { id: members[0]!, members, best: pick.best, reason: pick.reason };
    for (const id of members) out[id] = stack;
  }
  return out;
}

const sameStack = (a: Stack | undefined, b: Stack | undefined): boolean =>
  !!a && !!b && a.best === b.best && a.reason === b.reason && a.members.join() === b.members.join();

function publish(photos: readonly Photo[]): void {
  const next = stacksOf(photos);
  const before = useStacks.getState().byPhoto;
  const ids = new Set([...Object.keys(next), ...Object.keys(before)]);
  chosenFrom.clear();
  for (const p of photos) if (next[p.id]) chosenFrom.set(p.id, { score: p.score, measurement: p.measurement });
  if ([...ids].every((id) => sameStack(next[id], before[id]))) return;
  useStacks.setState({ byPhoto: next });
}

function work(): void {
  scheduled = false;
  const start = performance.now();
  while (pending.length > 0 && performance.now() - start < SLICE_MS) graph.connect(pending.shift()!);
  if (pending.length > 0) schedule();
  else publish(usePhotos.getState().photos);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(work, 0);
}

/** What the best of a stack was chosen from, per stacked photo, when last published. */
const chosenFrom = new Map<string, Pick<Photo, 'score' | 'measurement'>>();

let seen: readonly Photo[] | null = null;
function onPhotos(photos: readonly Photo[]): void {
  if (photos === seen) return;
  seen = photos;
  const inputs = photos.map(inputOf);
  const changed = new Set(graph.changed(inputs).map((p) => p.id));
  const present = new Set(photos.map((p) => p.id));
  pending = [
    ...pending.filter((p) => present.has(p.id) && !changed.has(p.id)),
    ...inputs.filter((p) => changed.has(p.id)),
  ];
  const { byPhoto } = useStacks.getState();
  // A streamed critique changes its photo many times a second: only what stacks are made of counts.
  const rechoose = photos.some((p) => {
    const before = chosenFrom.get(p.id);
    return byPhoto[p.id] && (p.score !== before?.score || p.measurement !== before?.measurement);
  });
  if (changed.size > 0 || rechoose || Object.keys(byPhoto).some((id) => !present.has(id))) schedule();
}

usePhotos.subscribe((s) => onPhotos(s.photos));
onPhotos(usePhotos.getState().photos);
