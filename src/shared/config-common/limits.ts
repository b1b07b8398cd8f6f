// Limits on a config file, shared by the file reader (main), the pure parse step (the
// editor's live diagnostics) and the signer, so that every path refuses the same inputs and
// sign never writes a bundle that its own verify or open would refuse.

/**
 * Largest config.yaml accepted, in bytes of UTF-8: a real one is a few KB. Reading stops
 * here, so a huge or endless file (a device, /dev/zero) never fills memory.
 */
export const CONFIG_MAX_BYTES = 1024 * 1024;

/**
 * Most levels of indentation and brackets (counted together) a config may nest. A service
 * or deployment config needs fewer than 10; the yaml composer and our own walkers recurse once per level,
 * and thousands of levels exhaust the stack (or, worse, crash V8's regexp compiler).
 */
export const CONFIG_MAX_NESTING = 64;

/** The cap as people read it in messages. */
export const CONFIG_MAX_TEXT = '1 MiB (1 048 576 bytes)';
