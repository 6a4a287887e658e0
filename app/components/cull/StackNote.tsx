import { usePhotos } from '../../state/photos.ts';
import { useStacks } from '../../state/stacks.ts';

/** The photo's stack of near-duplicates: its size, which is best and why, and S to expand it. */
export function StackNote({ photoId }: { photoId: string }) {
  const stack = useStacks((s) => s.byPhoto[photoId]);
  const expanded = useStacks((s) => (stack ? s.expanded[stack.id] === true : false));
  const toggle = useStacks((s) => s.toggle);
  const bestName = usePhotos((s) => (stack ? s.photos.find((p) => p.id === stack.best)?.fileName : undefined));
  if (!stack) return null;
  const size = stack.members.length;
  return (
    <p className="cull-bar__stack" data-testid="stack-note">
      <span>
        {stack.best === photoId
          ? `Best of a stack of ${size}: ${stack.reason}`
          : `In a stack of ${size}; the best is ${bestName ?? 'another photo'}: ${stack.reason}`}
      </span>{' '}
      <button
        type="button"
        className="button button--ghost button--small"
        aria-keyshortcuts="S"
        aria-expanded={expanded}
        title={`${expanded ? 'Collapse' : 'Expand'} the stack in the gallery (S)`}
        onClick={() => toggle(photoId)}
      >
        {expanded ? 'Collapse stack' : 'Expand stack'}
      </button>
    </p>
  );
}
