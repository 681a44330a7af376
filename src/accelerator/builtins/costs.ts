// What work and allocations cost: the one table of rates the builtins library and the core runtime
// charge with (DESIGN invariant 3: charges track the work actually done). Fuel is counted in units
// of about one loop iteration of compiled code (2–10 ns); library work is converted to units at the
// rates below, chosen so that 1e6 units of any kind of work take roughly 2–20 ms (bench/fuel-rates.ts
// measures it; the figures are in docs/accelerator.md). Memory is charged in bytes, at least what
// V8 allocates (test/accelerator/memory-calibration.test.ts measures it).

/** Characters per unit for work V8 does one character at a time: case mapping, trimming, splitting,
 * replacing, converting, searching for a pattern of two or more characters, flattening, parsing. */
export const CHARS_PER_UNIT = 4;
/** Characters per unit for what V8 does with memchr/memcmp-like loops: comparing strings, searching
 * for one character. */
export const FAST_CHARS_PER_UNIT = 64;
/** Character comparisons per unit of a backward search (lastIndexOf: V8 compares naively, up to the
 * pattern's length at every position). */
export const BACKWARD_COMPARES_PER_UNIT = 16;
/** Units per comparison of a sort (the comparison itself; a comparator's call is charged as a call). */
export const COMPARE_UNITS = 2;
/** Units per element a library loop (written here, in JavaScript) visits, copies or writes. */
export const ELEMENT_UNITS = 1;
/** JSON text: bytes per unit of JSON.parse and JSON.stringify (V8 takes about 5–12 ns a byte). */
export const JSON_BYTES_PER_UNIT = 1;
/** Units per match a replace or split produces (each makes a string and a builder step). */
export const MATCH_UNITS = 8;

/** Fuel for n characters of one-at-a-time work. */
export const charUnits = (n: number): number => 1 + Math.floor(n / CHARS_PER_UNIT);
/** Fuel for n characters of memchr/memcmp-like work. */
export const fastCharUnits = (n: number): number => 1 + Math.floor(n / FAST_CHARS_PER_UNIT);
/** Fuel for sorting n values: n·log2(n) comparisons. */
export const sortUnits = (n: number): number => (n < 2 ? 1 : Math.ceil(n * Math.log2(n)) * COMPARE_UNITS);

// ---- memory (bytes; 64-bit V8 without pointer compression, as Node 20 ships) ----

/** A sequential string: map, hash and length, characters rounded up to 8 bytes. */
export const STRING_HEADER = 24;
/** A rope node (ConsString) made by a concatenation; its flat copy is charged with it. */
export const CONS_NODE = 32;
/** A JSArray and its elements store's header. */
export const ARRAY_HEADER = 48;
/** Per element: a slot (8 bytes, 1.5× for growth) and a boxed double when the array holds other
 * values too (16 bytes). */
export const ELEMENT = 32;
/** An empty object with its in-object slack. */
export const OBJECT_HEADER = 56;
/** Per property of an object literal or copy with shared shapes: a slot and a boxed double. */
export const LITERAL_PROPERTY = 32;
/** Per property added by a write, with its key's characters on top: a dictionary entry or a new map
 * and descriptor, and the key's internalized copy. */
export const NEW_PROPERTY = 80;
/** A closure: the runtime's Closure, its native function and context. */
export const CLOSURE = 192;
/** An error value. */
export const ERROR_VALUE = 96;

/** Bytes per character of a two-byte string; one-byte strings take 1 (see `charBytes` on the host). */
export const WIDE_CHAR_BYTES = 2;

/** A character outside Latin-1: V8 stores the string with two bytes per character. */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
export const WIDE = /[^\x00-\xff]/;
