// All known packs and how a pack selection (`?packs=`, `--pack`) resolves to an IASM + critic pair.
import { CRITIC_PACKS, type CriticPack } from './critic.ts';
import { IASM_PACKS, type IasmPack } from './iasm.ts';

/** A selection id that names an IASM pack and a critic pack together. */
export const PACK_GROUPS: Record<string, { iasm: string; critic: string }> = {
  default: { iasm: 'laion-clip-b16', critic: 'smolvlm-256m' },
  fixture: { iasm: 'fixture-clip', critic: 'fixture-smolvlm' },
};

export interface PackSelection {
  iasm: IasmPack;
  critic: CriticPack;
}

export function findIasmPack(id: string): IasmPack | undefined {
  return IASM_PACKS.find((p) => p.id === id);
}

export function findCriticPack(id: string): CriticPack | undefined {
  return CRITIC_PACKS.find((p) => p.id === id);
}

/**
 * Resolves 'fixture', 'default' or '<iasm id>,<critic id>' (either order) to packs.
 * Throws a message listing the known ids when something does not resolve.
 */
export function resolvePackSelection(spec: string): PackSelection {
  const group = PACK_GROUPS[spec.trim()];
  const ids = group ? [group.iasm, group.critic] : spec.split(',').map((s) => s.trim());
  const iasm = ids.map(findIasmPack).find((p) => p !== undefined);
  const critic = ids.map(findCriticPack).find((p) => p !== undefined);
  const unknown = ids.filter((id) => !findIasmPack(id) && !findCriticPack(id));
  if (!iasm || !critic || unknown.length > 0) {
    const known = [...Object.keys(PACK_GROUPS), ...IASM_PACKS.map((p) => p.id), ...CRITIC_PACKS.map((p) => p.id)];
    throw new Error(
      `Unknown pack selection "${spec}"${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}: ` +
        `give a group or "<iasm pack>,<critic pack>". Known ids: ${known.join(', ')}`,
    );
  }
  return { iasm, critic };
}
