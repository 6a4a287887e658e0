// What the studio's polite live region says about the photos chosen and the view shown, so a
// screen reader hears a choice or a change of view that is otherwise only seen.

export interface ChoiceView {
  layout: 'loupe' | 'compare' | 'survey';
  /** Photos chosen that the session still holds. */
  chosen: number;
  /** File names compare or survey shows, in their order. */
  shown: readonly string[];
}

const BACK = 'Esc returns to the single photo';

export function choiceAnnouncement({ layout, chosen, shown }: ChoiceView): string {
  if (layout === 'compare' && shown.length >= 2) {
    return `Comparing ${shown[0]} and ${shown[1]}, zoom and pan locked — ${BACK}`;
  }
  if (layout === 'survey' && shown.length >= 2) return `Surveying ${shown.length} photos — ${BACK}`;
  if (chosen === 0) return '';
  if (chosen === 1) return '1 photo chosen — choose another to compare';
  return `${chosen} photos chosen — press C to compare, N to survey`;
}
