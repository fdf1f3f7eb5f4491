/**
 * Typed errors. Every error Ocular throws on purpose is an {@link OcularError} with a stable
 * `code`, so callers can branch on `err.code` instead of parsing messages.
 * @module
 */

/** Stable error codes. Add new codes at the end; never reuse one. */
export type OcularErrorCode =
  | 'E_INVALID_ARGUMENT'
  | 'E_DTYPE'
  | 'E_SHAPE'
  | 'E_UNKNOWN_OP'
  | 'E_ATTRIBUTE'
  | 'E_GRAPH'
  | 'E_STATE_DICT'
  | 'E_SAFETENSORS'
  | 'E_ONNX'
  | 'E_REGISTRY'
  | 'E_BACKEND'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_NOT_IMPLEMENTED'
  | 'E_ABORTED'
  | 'E_DISPOSED'
  | 'E_IMAGE'
  | 'E_DECODE'
  | 'E_IMPORT';

/** Base class of every error Ocular throws on purpose. */
export class OcularError extends Error {
  /** Stable machine-readable code. */
  readonly code: OcularErrorCode;
  /** Optional structured details (shapes, keys, offsets) for programmatic use. */
  readonly details?: Record<string, unknown>;

  constructor(
    code: OcularErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.details = options?.details;
  }
}

/** A caller passed a value outside what the API accepts. */
export class InvalidArgumentError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_INVALID_ARGUMENT', message, { details });
  }
}

/** A dtype is unsupported or two dtypes do not agree. */
export class DTypeError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_DTYPE', message, { details });
  }
}

/**
 * Shapes do not agree. When raised during tracing the message names the module path and the op,
 * e.g. `stages.0.blocks.1.conv_dw (Conv): input has 3 channels, weight expects 4`.
 */
export class ShapeError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_SHAPE', message, { details });
  }
}

/** An op type has no schema (IR) or no kernel (backend). */
export class UnknownOpError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_UNKNOWN_OP', message, { details });
  }
}

/** An op attribute is missing, of the wrong type, or has an unsupported value. */
export class AttributeError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_ATTRIBUTE', message, { details });
  }
}

/** A graph is malformed (dangling value, duplicate output name, cycle). */
export class GraphError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_GRAPH', message, { details });
  }
}

/** Loading a state dict failed; `details` carries missing / unexpected / mismatched keys. */
export class StateDictError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_STATE_DICT', message, { details });
  }
}

/** A safetensors file is malformed or hostile. */
export class SafetensorsError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_SAFETENSORS', message, { details });
  }
}

/** An ONNX file is malformed or uses something Ocular cannot represent. */
export class OnnxError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_ONNX', message, { details });
  }
}

/** Registry misuse: duplicate names, unknown models, incompatible plugins. */
export class RegistryError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_REGISTRY', message, { details });
  }
}

/** A backend failed while compiling or running a graph. */
export class BackendError extends OcularError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('E_BACKEND', message, options);
  }
}

/** No backend in the preference list could be used; `details.attempts` says why for each. */
export class BackendUnavailableError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_BACKEND_UNAVAILABLE', message, { details });
  }
}

/** A feature is deliberately not supported (yet); the message says what and why. */
export class NotImplementedError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_NOT_IMPLEMENTED', message, { details });
  }
}

/** Work was cancelled through an `AbortSignal`. */
export class AbortError extends OcularError {
  constructor(message = 'The operation was aborted') {
    super('E_ABORTED', message);
  }
}

/** A tensor, session or handle was used after `dispose()`. */
export class DisposedError extends OcularError {
  constructor(message: string) {
    super('E_DISPOSED', message);
  }
}

/** An image could not be read, decoded, encoded or is outside the accepted size. */
export class ImageError extends OcularError {
  constructor(message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super('E_IMAGE', message, options);
  }
}

/**
 * A task decoder got raw outputs it cannot interpret (missing output, wrong rank or size for the
 * declared format); the message names the output and what was expected.
 */
export class DecodeError extends OcularError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('E_DECODE', message, { details });
  }
}
