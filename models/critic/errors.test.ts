import { describe, expect, it } from 'vitest';
import { classifyLoadError, CriticLoadError } from './errors.ts';

// ONNX Runtime Web's messages, as it gives them for a truncated file and for an op it has no kernel for.
const TRUNCATED =
  "Can't create a session. ERROR_CODE: 7, ERROR_MESSAGE: Failed to load model because protobuf parsing failed.";
const NO_KERNEL =
  "Can't create a session. ERROR_CODE: 9, ERROR_MESSAGE: Failed to find kernel for com.microsoft.Rfft(1) " +
  "(node:'probe/Rfft' ep:'CPUExecutionProvider'). Kernel not found";

describe('critic load errors', () => {
  it('a file ONNX Runtime cannot parse is corrupt; an op without a kernel here is not the file', () => {
    expect((classifyLoadError(new Error(TRUNCATED), 'p', 'h') as CriticLoadError).kind).toBe('corrupt-file');
    const noKernel = new Error(NO_KERNEL);
    expect(classifyLoadError(noKernel, 'p', 'h')).toBe(noKernel);
  });
});
