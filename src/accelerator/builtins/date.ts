// Date: only what is exact without a time zone or a clock we would have to emulate. `Date.now()` reads
// the clock as Node does; `Date.UTC` is pure arithmetic. `new Date()`, `Date()` and Date.parse depend
// on the time zone or on V8's parser and abort, as do Date objects altogether (not a runtime value).
import { BuiltinFunction, unsupported } from './values.ts';

export const DateFn = new BuiltinFunction({
  name: 'Date', length: 7, path: 'Date', real: Date,
  impl: (h) => unsupported(h, 'Date()'),
  construct: (h) => unsupported(h, 'new Date'),
  statics: {
    now: new BuiltinFunction({ name: 'now', length: 0, path: 'Date.now', impl: () => Date.now() }),
    UTC: new BuiltinFunction({
      name: 'UTC', length: 7, path: 'Date.UTC',
      impl(h, _t, args) {
        const xs = args.slice(0, 7).map((x) => h.toNumber(x)); // the 7 parameters, in order; extras are ignored
        return (Date.UTC as (...n: number[]) => number)(...xs);
      },
    }),
  },
});
