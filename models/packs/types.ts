// Model-pack manifests: where a model's files come from and what the app needs to know
// to run it. A pack is data only; the code that loads it lives in models/iasm and models/critic.

/** Where a pack's files are fetched from. */
export type PackSource =
  /** A Hugging Face Hub repository at a pinned revision: `${host}/${repo}/resolve/${revision}/${path}`. */
  | { type: 'hub'; repo: string; revision: string }
  /** Files served by our own origin (fixture packs): `${baseUrl}${path}`, baseUrl ending in '/'. */
  | { type: 'origin'; baseUrl: string };

export interface PackFile {
  /** Path inside the pack, e.g. 'onnx/vision_model.onnx'. */
  path: string;
  /** Size in bytes, when pinned: shown before download and checked after. */
  bytes?: number;
  /** Lower-case hex sha256, when pinned: downloaded and cached files are verified against it. */
  sha256?: string;
}

export interface PackBase {
  /** Stable id used in URLs (`?packs=`), the CLI (`--pack`), reports and caches. */
  id: string;
  /** Human name shown in the Models view. */
  name: string;
  description: string;
  license: string;
  /**
   * A generated, untrained test model. The UI must label it as a demo/test model and never
   * present its heatmap or critique as meaningful.
   */
  fixture: boolean;
  source: PackSource;
  files: PackFile[];
}

export type PackKind = 'iasm' | 'critic';
