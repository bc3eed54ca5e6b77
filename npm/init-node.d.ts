
/**
 * Does nothing in Node: the module is read from disk when this package is imported or
 * required, so no init is needed. Kept so code written for browsers runs unchanged.
 */
export default function init(options?: unknown): Promise<void>;

/** Does nothing in Node (see {@link init}). */
export function initSync(options?: unknown): void;
