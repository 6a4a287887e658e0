// Display facts about a pack id for the header, score and reports.
import { IASM_PACKS } from '../../models/packs/iasm.ts';
import type { ReportPack } from '../lib/export/report.ts';

export interface PackDisplay extends ReportPack {
  /** IASM packs: what the score means and its scale. */
  scoreLabel?: string;
}

export function describePack(id: string | undefined): PackDisplay | null {
  if (!id) return null;
  const iasm = IASM_PACKS.find((p) => p.id === id);
  if (iasm) return { id, name: iasm.name, fixture: iasm.fixture, scoreLabel: iasm.scoreLabel };
  // Unknown to this build (e.g. a folder loaded from disk): fixture ids are recognisable by name.
  return { id, name: id, fixture: id.startsWith('fixture') };
}
