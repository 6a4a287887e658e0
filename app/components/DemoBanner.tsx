import { useModels } from '../state/models.ts';

export const DEMO_BANNER_TEXT =
  'Demo models — untrained, for trying the app; the heatmap and critique are not meaningful';

/** Permanent while fixture packs are active. */
export function DemoBanner() {
  const demo = useModels((s) => s.active?.demo ?? false);
  if (!demo) return null;
  return (
    <div className="demo-banner" role="status">
      {DEMO_BANNER_TEXT}
    </div>
  );
}
