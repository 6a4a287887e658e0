// Display facts about a pack id for the header, score and reports.
import { findCriticPack, findIasmPack } from '../../models/packs/registry.ts';
import type { ReportPack } from '../lib/export/report.ts';

export interface PackDisplay extends ReportPack {
  /** IASM packs: what the score means and its scale. */
  scoreLabel?: string;
  /** IASM packs: the range the scores take, where known. */
  scoreRange?: readonly [number, number];
}

export function describePack(id: string | undefined): PackDisplay | null {
  if (!id) return null;
  const iasm = findIasmPack(id);
  if (iasm)
    return {
      id,
      name: iasm.name,
      fixture: iasm.fixture,
      scoreLabel: iasm.scoreLabel,
      ...(iasm.scoreRange ? { scoreRange: iasm.scoreRange } : {}),
    };
  const critic = findCriticPack(id);
  if (critic) return { id, name: critic.name, fixture: critic.fixture };
  // Not in this build's registry (e.g. a folder loaded from disk): fixture ids are recognisable by name.
  return { id, name: id, fixture: id.startsWith('fixture') };
}
