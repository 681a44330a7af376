// atob and btoa, host-backed (Node's), charged by length. Their errors are Node's DOMExceptions
// (InvalidCharacterError), which hostOp turns into the realm's.
import type { Host } from './host.ts';
import { charUnits } from './costs.ts';
import { BuiltinFunction, str, unsupported } from './values.ts';
import { hostOp, madeString } from './web-value.ts';

const codec = (name: 'atob' | 'btoa', f: (s: string) => string) => new BuiltinFunction({
  name, length: 1, path: name, real: f,
  impl(h: Host, _t, args) {
    if (args.length === 0) return unsupported(h, name, 'no argument');
    const s = str(h, args[0]);
    h.tick(charUnits(s.length));
    return madeString(h, hostOp(h, name, () => f(s)));
  },
});

export const base64Functions = { atob: codec('atob', atob), btoa: codec('btoa', btoa) };
