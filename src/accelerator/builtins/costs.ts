// What work and allocations cost: the one table of rates the builtins library and the core runtime
// charge with (DESIGN invariant 3: charges track the work actually done). Fuel is counted in units
// of about one loop iteration of compiled code (2–10 ns); library work is converted to units at the
// rates below, chosen so that 1e6 units of any kind of work take roughly 2–20 ms (bench/fuel-rates.ts
// measures it; the figures are in docs/accelerator.md). Memory is charged in bytes, at least what
// V8 allocates (test/accelerator/memory-calibration.test.ts measures it).

/** Characters per unit for work V8 does one character at a time: case mapping, trimming, splitting,
 * replacing, converting, searching for a pattern of two or more characters, flattening, parsing. */
export const CHARS_PER_UNIT = 4;
/** Characters per unit for searching with a pattern of two or more characters: V8's search for a
 * short pattern in a text of near matches takes several ns a character. */
export const SEARCH_CHARS_PER_UNIT = 2;
/** A string this long or longer is allocated in V8's large-object space: flattening a rope of that
 * length (page faults, a copy out of cache) takes a few ns a character, where shorter ropes flatten at
 * memcpy speed. Concatenations with such results pay for that flattening in fuel (CHARS_PER_UNIT). */
export const LARGE_STRING = 1 << 17;
/** Characters per unit for what V8 does with memchr/memcmp-like loops: comparing strings, searching
 * for one character. */
export const FAST_CHARS_PER_UNIT = 64;
/** Character comparisons per unit of a backward search (lastIndexOf: V8 compares naively, up to the
 * pattern's length at every position). */
export const BACKWARD_COMPARES_PER_UNIT = 16;
/** Units per comparison of a sort (the comparison itself; a comparator's call is charged as a call):
 * V8's own sort (fast-ops, a compiled comparator), and the library's TimSort written here. */
export const COMPARE_UNITS = 2;
export const LIBRARY_COMPARE_UNITS = 8;
/** Units per callback a library method makes (map, filter, forEach, reduce, …), besides the call. */
export const CALLBACK_UNITS = 8;
/** Units per property a write or a copy adds to an object (a map transition or a dictionary entry). */
export const PROPERTY_UNITS = 32;
/** Units per value copied into the realm from host data (requests, responses, JSON.parse). */
export const VALUE_UNITS = 8;
/** Units per entry console.log prints (util.inspect), besides a unit per character. */
export const PRINT_ENTRY_UNITS = 64;
/** Units per element a library loop (written here, in JavaScript) visits, copies or writes. */
export const ELEMENT_UNITS = 1;
/** Units per element V8 copies into a new array (slice, concat, reverse, …: arrays of the program's
 * realm take V8's slower generic path when the library's own realm copies them). */
export const COPY_UNITS = 4;
/** Units per element a join prints (V8 converts each element and appends it to a builder). */
export const JOIN_UNITS = 16;
/** JSON text: units per byte of JSON.parse and JSON.stringify (V8 takes about 5–12 ns a byte). */
export const JSON_UNITS_PER_BYTE = 2;
/** Units per match a replace or split produces (each makes a string and a builder step). */
export const MATCH_UNITS = 8;
export const REPLACE_MATCH_UNITS = 16;

/** Units for a toLocale*String with ICU's default formatter kept (about 1.5 µs). */
export const LOCALE_FORMAT_UNITS = 300;
/** Units for a toLocale*String with locales or options: V8 builds an ICU formatter for each call
 * (a date's about 100–140 µs, a number's about 30 µs). */
export const LOCALE_OPTIONS_UNITS = 30_000;
export const NUMBER_LOCALE_OPTIONS_UNITS = 8_000;

/** Bytes a hash digests per unit of fuel (SHA-256 takes a few ns a byte): createHash and subtle.digest. */
export const HASH_BYTES_PER_UNIT = 2;

/** Fuel for n characters of one-at-a-time work. */
export const charUnits = (n: number): number => 1 + Math.floor(n / CHARS_PER_UNIT);
/** Fuel for searching n characters for a pattern of two or more characters. */
export const searchUnits = (n: number): number => 1 + Math.floor(n / SEARCH_CHARS_PER_UNIT);
/** Fuel a concatenation (or any rope) of n characters pays for the flattening a later use may do. */
export const ropeUnits = (n: number): number => (n < LARGE_STRING ? 0 : charUnits(n));
/** Fuel for n characters of memchr/memcmp-like work. */
export const fastCharUnits = (n: number): number => 1 + Math.floor(n / FAST_CHARS_PER_UNIT);
/** Fuel for sorting n values: n·log2(n) comparisons. */
export const sortUnits = (n: number): number => (n < 2 ? 1 : Math.ceil(n * Math.log2(n)) * COMPARE_UNITS);

// ---- memory (bytes; 64-bit V8 without pointer compression, as Node 20 ships) ----

/** A sequential string: map, hash and length, characters rounded up to 8 bytes. */
export const STRING_HEADER = 24;
/** A rope node (ConsString, 32 bytes) made by a concatenation, with slack for the conversions around it;
 * its flat copy is charged with it. */
export const CONS_NODE = 48;
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
