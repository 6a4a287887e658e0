// Errors a user can cause while loading a critic, each with a message that says what to do.

export type CriticLoadErrorKind = 'unreachable' | 'missing-file' | 'corrupt-file';

export class CriticLoadError extends Error {
  override readonly name = 'CriticLoadError';
  constructor(
    readonly kind: CriticLoadErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const NETWORK_FAILURE =
  /fetch failed|failed to fetch|networkerror|network error|load failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET/i;
const NOT_FOUND = /could not locate file|not found locally|local file missing|file was not found/i;
/** ONNX Runtime has no kernel on this backend for an op of an intact file: the device's limit, not a bad download. */
const MISSING_KERNEL = /kernel not found|could not find an implementation/i;
const CORRUPT_MODEL =
  /protobuf parsing failed|failed to load model|load model from .* failed|invalid model|model_path must not be empty|Can't create a session|no graph was found/i;

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

/** The quoted URL or path in transformers.js's "Could not locate file: "…"" messages. */
function quotedLocation(message: string): string | undefined {
  return /"([^"]+)"/.exec(message)?.[1];
}

/**
 * Turns a failure while loading `packName` from `where` (a host or folder, for the message) into a
 * CriticLoadError a user can act on; errors that are not the user's to fix are returned unchanged.
 */
export function classifyLoadError(err: unknown, packName: string, where: string): unknown {
  if (err instanceof CriticLoadError) return err;
  const text = describeError(err);
  if (err instanceof TypeError && NETWORK_FAILURE.test(text)) {
    return new CriticLoadError(
      'unreachable',
      `The model host ${where} cannot be reached and "${packName}" is not cached on this device. ` +
        'Connect once to download it, or load a model folder from disk.',
      { cause: err },
    );
  }
  if (NOT_FOUND.test(text) || (err instanceof Error && err.name === 'ModelFileNotFoundError')) {
    const location = quotedLocation(text) ?? where;
    return new CriticLoadError(
      'missing-file',
      `A model file of "${packName}" is missing: ${location}. Re-download the model, or load a complete model folder.`,
      { cause: err },
    );
  }
  if (err instanceof SyntaxError) {
    return new CriticLoadError(
      'corrupt-file',
      `A configuration file of "${packName}" (from ${where}) is corrupt: ${err.message}. ` +
        'Clear the cached model and download it again, or load an intact model folder.',
      { cause: err },
    );
  }
  if (MISSING_KERNEL.test(text)) return err;
  if (CORRUPT_MODEL.test(text)) {
    return new CriticLoadError(
      'corrupt-file',
      `An ONNX model file of "${packName}" (from ${where}) is corrupt: ONNX Runtime could not read it (${text}). ` +
        'Clear the cached model and download it again, or load an intact model folder.',
      { cause: err },
    );
  }
  return err;
}
