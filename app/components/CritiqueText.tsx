import { useMemo } from 'react';
import { tagAttributes } from '../../models/critic/lexicon.ts';

/** Critique text with aesthetic-attribute words highlighted. Rendered as React text nodes, never HTML. */
export function CritiqueText({ text }: { text: string }) {
  const spans = useMemo(() => tagAttributes(text), [text]);
  return (
    <>
      {spans.map((s) =>
        s.attribute ? (
          <mark key={s.start} className={`attr attr--${s.attribute.replace(/\s+/g, '-')}`} title={s.attribute}>
            {s.text}
          </mark>
        ) : (
          <span key={s.start}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** The distinct attributes a text mentions, in order of first mention. */
export function useAttributes(text: string): string[] {
  return useMemo(() => {
    const seen: string[] = [];
    for (const s of tagAttributes(text)) if (s.attribute && !seen.includes(s.attribute)) seen.push(s.attribute);
    return seen;
  }, [text]);
}
