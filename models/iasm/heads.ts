// The LAION-Aesthetics V1 linear heads (MIT, LAION AI), copied from
// github.com/LAION-AI/aesthetic-predictor as JSON with their license and source lines (heads/*.json).
import vitB16 from './heads/vit_b_16_linear.json' with { type: 'json' };
import vitB32 from './heads/vit_b_32_linear.json' with { type: 'json' };
import vitL14 from './heads/vit_l_14_linear.json' with { type: 'json' };

/** score = dot(weight, e / ||e||) + bias, e = the CLIP image embedding. */
export interface LinearHead {
  name: string;
  source: string;
  license: string;
  inFeatures: number;
  weight: Float32Array;
  bias: number;
}

interface HeadJson {
  name: string;
  source: string;
  license: string;
  in_features: number;
  weight: number[];
  bias: number[];
}

function toHead(json: HeadJson): LinearHead {
  if (json.weight.length !== json.in_features || json.bias.length !== 1)
    throw new Error(`LAION head "${json.name}": ${json.weight.length} weights for ${json.in_features} features`);
  return {
    name: json.name,
    source: json.source,
    license: json.license,
    inFeatures: json.in_features,
    weight: Float32Array.from(json.weight),
    bias: json.bias[0]!,
  };
}

export const LAION_HEADS = {
  'laion-v1-vit-b-16': toHead(vitB16),
  'laion-v1-vit-b-32': toHead(vitB32),
  'laion-v1-vit-l-14': toHead(vitL14),
} as const satisfies Record<string, LinearHead>;

export type LaionHeadId = keyof typeof LAION_HEADS;
