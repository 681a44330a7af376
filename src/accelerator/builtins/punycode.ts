// `require('punycode')`: Node's deprecated bundled punycode.js (pure string code) runs on strings the
// realm hands over, so every answer and every RangeError message is Node's. decode inserts into an
// array (quadratic in the worst case) and is charged so. What crosses back is a string, or for
// ucs2.decode an array of numbers, made and charged here. Arguments that are not strings (or, for
// ucs2.encode, not an array of numbers) abort: Node would call methods on them.
import { createRequire } from 'node:module';
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, Namespace, chargeArray, unsupported } from './values.ts';
import { hostOp, madeString } from './web-value.ts';

interface Punycode {
  version: string;
  decode(s: string): string;
  encode(s: string): string;
  toASCII(s: string): string;
  toUnicode(s: string): string;
  ucs2: { decode(s: string): number[]; encode(a: number[]): string };
}

// Loaded through require so that importing this file does not import a deprecated module's types.
const nodePunycode = createRequire(import.meta.url)('punycode') as Punycode;

function stringArg(h: Host, v: unknown, what: string): string {
  return typeof v === 'string' ? v : unsupported(h, what, 'an argument that is not a string');
}

const stringFn = (name: 'decode' | 'encode' | 'toASCII' | 'toUnicode', quadratic: boolean) => new BuiltinFunction({
  name, length: 1, path: `punycode.${name}`, real: nodePunycode[name],
  impl(h, _t, args) {
    const what = `punycode.${name}`;
    const s = stringArg(h, args[0], what);
    // decode and encode (and the labels toASCII/toUnicode pass them) scan or splice per output code point.
    h.tick(charUnits(quadratic ? s.length * s.length : s.length));
    return madeString(h, hostOp(h, what, () => nodePunycode[name](s)));
  },
});

const ucs2 = new Namespace('punycode.ucs2', {
  decode: new BuiltinFunction({
    name: 'ucs2decode', length: 1, path: 'punycode.ucs2.decode', real: nodePunycode.ucs2.decode,
    impl(h, _t, args) {
      const s = stringArg(h, args[0], 'punycode.ucs2.decode');
      h.tick(charUnits(s.length));
      const out = nodePunycode.ucs2.decode(s);
      chargeArray(h, out.length);
      return out;
    },
  }),
  encode: new BuiltinFunction({
    name: 'ucs2encode', length: 1, path: 'punycode.ucs2.encode', real: nodePunycode.ucs2.encode,
    impl(h, _t, args) {
      const a = args[0];
      // A plain array of numbers only: anything else would run user code (valueOf) or read holes.
      if (!Array.isArray(a)) return unsupported(h, 'punycode.ucs2.encode', 'an argument that is not an array');
      const copy: number[] = [];
      for (let i = 0; i < a.length; i++) {
        const d = Object.getOwnPropertyDescriptor(a, i);
        if (!d || !('value' in d) || typeof d.value !== 'number') return unsupported(h, 'punycode.ucs2.encode', 'an array element that is not a number');
        copy.push(d.value);
      }
      h.tick(charUnits(copy.length));
      return madeString(h, hostOp(h, 'punycode.ucs2.encode', () => nodePunycode.ucs2.encode(copy)));
    },
  }),
}, nodePunycode.ucs2);

export const PunycodeModule = new Namespace('punycode', {
  version: nodePunycode.version,
  ucs2,
  decode: stringFn('decode', true),
  encode: stringFn('encode', true),
  toASCII: stringFn('toASCII', true),
  toUnicode: stringFn('toUnicode', true),
}, nodePunycode);
