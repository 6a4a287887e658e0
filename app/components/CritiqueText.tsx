import { useMemo } from 'react';
import type { AttributeFacts } from '../../models/attributes/index.ts';
import { findContradictions } from '../../models/critic/contradictions.ts';
import { tagAttributes } from '../../models/critic/lexicon.ts';

function Tagged({ text, offset }: { text: string; offset: number }) {
  return (
    <>
      {tagAttributes(text).map((s) =>
        s.attribute ? (
          <mark key={offset + s.start} className={`attr attr--${s.attribute.replace(/\s+/g, '-')}`} title={s.attribute}>
            {s.text}
          </mark>
        ) : (
          <span key={offset + s.start}>{s.text}</span>
        ),
      )}
    </>
  );
}

/**
 * Critique text with aesthetic-attribute words highlighted, and claims a measurement contradicts
 * marked with that measurement. Rendered as React text nodes, never HTML.
 */
export function CritiqueText({ text, attributes }: { text: string; attributes?: AttributeFacts | undefined }) {
  const parts = useMemo(() => {
    const found = attributes ? findContradictions(text, attributes) : [];
    const out: { start: number; text: string; measurement?: string }[] = [];
    let at = 0;
    for (const c of found) {
      if (c.start > at) out.push({ start: at, text: text.slice(at, c.start) });
      out.push({ start: c.start, text: text.slice(c.start, c.end), measurement: c.measurement });
      at = c.end;
    }
    if (at < text.length) out.push({ start: at, text: text.slice(at) });
    return out;
  }, [text, attributes]);
  return (
    <>
      {parts.map((p) =>
        p.measurement ? (
          <mark
            key={p.start}
            className="contradiction"
            data-testid="contradiction"
            title={`Measured: ${p.measurement}`}
          >
            {p.text}
            <span className="contradiction__note"> (measured: {p.measurement})</span>
          </mark>
        ) : (
          <Tagged key={p.start} text={p.text} offset={p.start} />
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
