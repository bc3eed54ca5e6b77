
/**
 * Does nothing in Node, Bun and Deno, and resolves at once: the module is loaded when
 * this package is imported or required (its bytes are inside it). Kept so code written
 * for browsers, where it is an optional preload, runs unchanged.
 */
export default function init(options?: unknown): Promise<void>;

/** Does nothing in Node, Bun and Deno (see {@link init}). */
export function initSync(options?: unknown): void;
