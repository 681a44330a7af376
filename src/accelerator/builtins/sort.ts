// Sorting for Array.prototype.sort/toSorted: stable, with the comparator called through the host.
// Default order compares ToString of the elements by code units; it is computed once per element,
// which is exact only when ToString cannot run user code, so non-primitive elements abort there.
import type { Host } from './host.ts';
import { unsupported } from './values.ts';

type Cmp = (x: unknown, y: unknown) => number;

export function sortValues(host: Host, values: unknown[], cmp: unknown, what: string): unknown[] {
  if (values.length < 2) return values;
  if (cmp === undefined) {
    const keyed: { k: string; v: unknown }[] = [];
    for (const v of values) {
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) return unsupported(host, what, 'default order of objects');
      keyed.push({ k: String(v), v });
    }
    host.tick(keyed.length * Math.ceil(Math.log2(keyed.length) + 1));
    const sorted = mergeSort(keyed, (x, y) => {
      const a = (x as { k: string }).k;
      const b = (y as { k: string }).k;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return sorted.map((e) => (e as { v: unknown }).v);
  }
  return mergeSort(values, (x, y) => {
    const r = host.toNumber(host.call(cmp, undefined, [x, y]));
    return r !== r ? 0 : r;
  });
}

function mergeSort(values: unknown[], cmp: Cmp): unknown[] {
  let a = values.slice();
  let b = new Array<unknown>(a.length);
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length; lo += 2 * width) {
      const mid = Math.min(lo + width, a.length);
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) b[k++] = cmp(a[j], a[i]) < 0 ? a[j++] : a[i++];
      while (i < mid) b[k++] = a[i++];
      while (j < hi) b[k++] = a[j++];
    }
    [a, b] = [b, a];
  }
  return a;
}
