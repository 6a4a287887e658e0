// Sizes and sha256 of HuggingFaceTB/SmolVLM-256M-Instruct at commit 7e3e67edbbed1bf9888184d9df282b700a323964,
// the files the pack names. Sources (models/critic/README.md, "Pins"): Git LFS pointers (oid sha256 + size) and
// the JSON files of a public copy of the repository, which agree with a public probe of that commit
// (three ONNX files with bytes and sha256) and with public byte counts of the JSON files.
import type { PackFile } from './types.ts';

export const SMOLVLM_256M_REVISION = '7e3e67edbbed1bf9888184d9df282b700a323964';

const pins: [string, number, string][] = [
  ['config.json', 7_353, 'b70fb4bfde88df9eeebc9d8ff523733b8bf70d6c9b06c610325960e06ae9db52'],
  ['generation_config.json', 136, '067a2a54e5f87162ecac6e0e911cc4665fc8f7f3324794ecbac0f76badb56636'],
  ['preprocessor_config.json', 486, '6cb6e36d6fcb88ca1502c4a26750715dc3e7dedddc9a8f17b27d8d167d1457e7'],
  ['processor_config.json', 68, 'e7bff42da73ae9eec9042ef20e066e11f1ee20f025358ff79131e3c0fb549b46'],
  ['tokenizer.json', 3_548_256, '5ece781dc8d2b2f3e2f289ca0ae50b17cfc27dd27bfe7971bb8241e0b964331a'],
  ['tokenizer_config.json', 28_249, '36c6fd44d07d10fd8180ee6b46dcccf69fb7c06753968ff0d7e17b8bfe17b777'],
  ['onnx/vision_encoder.onnx', 374_316_497, 'e27ad810eabfa7c881b409e1ca357e7a951541019add228ff73c72718fcf6218'],
  ['onnx/vision_encoder_fp16.onnx', 187_294_693, '275c41d775508b7f7410580c4aaf67583a34acf23c31259effa8e53f67e8d9ae'],
  [
    'onnx/vision_encoder_quantized.onnx',
    94_247_969,
    'f82adc84246fbfe8651038470166385452682cc889538f5106544e622e5f1595',
  ],
  ['onnx/embed_tokens.onnx', 113_541_419, 'a68ea4058524059ed0e2873fdbc4f33b93e13ae3d3204938d32d0566d390ae00'],
  ['onnx/embed_tokens_fp16.onnx', 56_770_946, '019af59078b8e4775216dd278c66574c39bfefa36cab68573db64d7ac7a11691'],
  ['onnx/embed_tokens_quantized.onnx', 28_385_824, '4b919b829fe2bf225e42431230c56891116f0149e5170e36c99bcc0cfae0d2ef'],
  ['onnx/decoder_model_merged_q4.onnx', 86_562_901, 'e3fd81130e30715580cf148398e48e2925b6219bff75e17d2a77add35a363f65'],
  [
    'onnx/decoder_model_merged_q4f16.onnx',
    77_034_560,
    '0a6b4e72e26025c190f37e2573ea2ce3336d95670da9c4b1fa662e47cc3d94a7',
  ],
];

export const SMOLVLM_256M_PINS: ReadonlyMap<string, PackFile> = new Map(
  pins.map(([path, bytes, sha256]) => [path, { path, bytes, sha256 }]),
);
