// Sorting for Array.prototype.sort/toSorted: the TimSort that V8 (Node 20) runs, step for step, so the
// comparator sees the same calls with the same arguments in the same order as in Node, and the result
// is Node's even for an inconsistent comparator or one with side effects. It follows CPython's
// listsort (runs, minrun, binary insertion, galloping merges with an adaptive minGallop) the way V8
// does: natural runs are counted first even on small arrays, galloping starts at 7 wins.
// The default order compares ToString of the elements by code units; V8 converts at every comparison,
// which is only unobservable when ToString runs no user code, so non-primitive elements abort there.
import type { Host } from './host.ts';
import { ELEMENT, FAST_CHARS_PER_UNIT, LIBRARY_COMPARE_UNITS, OBJECT_HEADER } from './costs.ts';
import { chargeArray, chargeString, unsupported } from './values.ts';

type Cmp = (x: unknown, y: unknown) => number;

const MIN_GALLOP = 7;

function minRunLength(n: number): number {
  let r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}

/** Copies with the same overlap handling as V8's Copy (backwards when moving right). */
function copy(src: unknown[], srcPos: number, dst: unknown[], dstPos: number, len: number): void {
  if (srcPos < dstPos) {
    for (let i = len - 1; i >= 0; i--) dst[dstPos + i] = src[srcPos + i];
  } else {
    for (let i = 0; i < len; i++) dst[dstPos + i] = src[srcPos + i];
  }
}

class TimSort {
  private minGallop = MIN_GALLOP;
  private readonly runs: { base: number; len: number }[] = [];

  constructor(private readonly w: unknown[], private readonly cmp: Cmp) {}

  sort(): void {
    const n = this.w.length;
    if (n < 2) return;
    const minRun = minRunLength(n);
    let low = 0;
    let remaining = n;
    while (remaining !== 0) {
      let runLen = this.countRun(low, low + remaining);
      if (runLen < minRun) {
        const forced = Math.min(minRun, remaining);
        this.binaryInsertion(low, low + runLen, low + forced);
        runLen = forced;
      }
      this.runs.push({ base: low, len: runLen });
      this.mergeCollapse();
      low += runLen;
      remaining -= runLen;
    }
    while (this.runs.length > 1) {
      let i = this.runs.length - 2;
      if (i > 0 && this.runs[i - 1].len < this.runs[i + 1].len) i--;
      this.mergeAt(i);
    }
  }

  /** [low, start) is sorted; inserts each of [start, high) by binary search (stable). */
  private binaryInsertion(low: number, start: number, high: number): void {
    const { w, cmp } = this;
    if (start === low) start++;
    for (; start < high; start++) {
      const pivot = w[start];
      let left = low;
      let right = start;
      while (left < right) {
        const mid = left + ((right - left) >> 1);
        if (cmp(pivot, w[mid]) < 0) right = mid;
        else left = mid + 1;
      }
      for (let p = start; p > left; p--) w[p] = w[p - 1];
      w[left] = pivot;
    }
  }

  /** Length of the run at low (non-descending, or strictly descending and then reversed). */
  private countRun(lowArg: number, high: number): number {
    const { w, cmp } = this;
    const low = lowArg + 1;
    if (low === high) return 1;
    let runLen = 2;
    const descending = cmp(w[low], w[low - 1]) < 0;
    let prev = w[low];
    for (let i = low + 1; i < high; i++) {
      const cur = w[i];
      const order = cmp(cur, prev);
      if (descending ? order >= 0 : order < 0) break;
      prev = cur;
      runLen++;
    }
    if (descending) {
      for (let a = lowArg, b = lowArg + runLen - 1; a < b; a++, b--) {
        const t = w[a];
        w[a] = w[b];
        w[b] = t;
      }
    }
    return runLen;
  }

  private invariant(n: number): boolean {
    if (n < 2) return true;
    const r = this.runs;
    return r[n - 2].len > r[n - 1].len + r[n].len;
  }

  private mergeCollapse(): void {
    const r = this.runs;
    while (r.length > 1) {
      let n = r.length - 2;
      if (!this.invariant(n + 1) || !this.invariant(n)) {
        if (r[n - 1].len < r[n + 1].len) n--;
        this.mergeAt(n);
      } else if (r[n].len <= r[n + 1].len) {
        this.mergeAt(n);
      } else {
        break;
      }
    }
  }

  private mergeAt(i: number): void {
    const { w } = this;
    let { base: baseA, len: lenA } = this.runs[i];
    const { base: baseB } = this.runs[i + 1];
    let lenB = this.runs[i + 1].len;
    this.runs[i] = { base: baseA, len: lenA + lenB };
    this.runs.splice(i + 1, 1);
    const k = this.gallopRight(w, w[baseB], baseA, lenA, 0);
    baseA += k;
    lenA -= k;
    if (lenA === 0) return;
    lenB = this.gallopLeft(w, w[baseA + lenA - 1], baseB, lenB, lenB - 1);
    if (lenB === 0) return;
    if (lenA <= lenB) this.mergeLow(baseA, lenA, baseB, lenB);
    else this.mergeHigh(baseA, lenA, baseB, lenB);
  }

  /** Offset in [0, len] where key goes, left of any equal elements; comparisons are cmp(a[i], key). */
  private gallopLeft(a: unknown[], key: unknown, base: number, len: number, hint: number): number {
    const { cmp } = this;
    let lastOfs = 0;
    let ofs = 1;
    if (cmp(a[base + hint], key) < 0) {
      const maxOfs = len - hint;
      while (ofs < maxOfs) {
        if (cmp(a[base + hint + ofs], key) >= 0) break;
        lastOfs = ofs;
        ofs = (ofs << 1) + 1;
        if (ofs <= 0) ofs = maxOfs;
      }
      if (ofs > maxOfs) ofs = maxOfs;
      lastOfs += hint;
      ofs += hint;
    } else {
      const maxOfs = hint + 1;
      while (ofs < maxOfs) {
        if (cmp(a[base + hint - ofs], key) < 0) break;
        lastOfs = ofs;
        ofs = (ofs << 1) + 1;
        if (ofs <= 0) ofs = maxOfs;
      }
      if (ofs > maxOfs) ofs = maxOfs;
      const t = lastOfs;
      lastOfs = hint - ofs;
      ofs = hint - t;
    }
    lastOfs++;
    while (lastOfs < ofs) {
      const m = lastOfs + ((ofs - lastOfs) >> 1);
      if (cmp(a[base + m], key) < 0) lastOfs = m + 1;
      else ofs = m;
    }
    return ofs;
  }

  /** Like gallopLeft but right of any equal elements; comparisons are cmp(key, a[i]). */
  private gallopRight(a: unknown[], key: unknown, base: number, len: number, hint: number): number {
    const { cmp } = this;
    let lastOfs = 0;
    let ofs = 1;
    if (cmp(key, a[base + hint]) < 0) {
      const maxOfs = hint + 1;
      while (ofs < maxOfs) {
        if (cmp(key, a[base + hint - ofs]) >= 0) break;
        lastOfs = ofs;
        ofs = (ofs << 1) + 1;
        if (ofs <= 0) ofs = maxOfs;
      }
      if (ofs > maxOfs) ofs = maxOfs;
      const t = lastOfs;
      lastOfs = hint - ofs;
      ofs = hint - t;
    } else {
      const maxOfs = len - hint;
      while (ofs < maxOfs) {
        if (cmp(key, a[base + hint + ofs]) < 0) break;
        lastOfs = ofs;
        ofs = (ofs << 1) + 1;
        if (ofs <= 0) ofs = maxOfs;
      }
      if (ofs > maxOfs) ofs = maxOfs;
      lastOfs += hint;
      ofs += hint;
    }
    lastOfs++;
    while (lastOfs < ofs) {
      const m = lastOfs + ((ofs - lastOfs) >> 1);
      if (cmp(key, a[base + m]) < 0) ofs = m;
      else lastOfs = m + 1;
    }
    return ofs;
  }

  /** Merges run A (the shorter, copied out) with run B, front to back. */
  private mergeLow(baseA: number, lenA: number, baseB: number, lenB: number): void {
    const { w, cmp } = this;
    const tmp = w.slice(baseA, baseA + lenA);
    let dest = baseA;
    let cA = 0;
    let cB = baseB;
    w[dest++] = w[cB++];
    const done = () => { if (lenA > 0) copy(tmp, cA, w, dest, lenA); };
    const copyB = () => { copy(w, cB, w, dest, lenB); w[dest + lenB] = tmp[cA]; };
    if (--lenB === 0) return done();
    if (lenA === 1) return copyB();
    let minGallop = this.minGallop;
    for (;;) {
      let winsA = 0;
      let winsB = 0;
      for (;;) {
        if (cmp(w[cB], tmp[cA]) < 0) {
          w[dest++] = w[cB++];
          winsB++;
          winsA = 0;
          if (--lenB === 0) return done();
          if (winsB >= minGallop) break;
        } else {
          w[dest++] = tmp[cA++];
          winsA++;
          winsB = 0;
          if (--lenA === 1) return copyB();
          if (winsA >= minGallop) break;
        }
      }
      minGallop++;
      let first = true;
      while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || first) {
        first = false;
        minGallop = Math.max(1, minGallop - 1);
        this.minGallop = minGallop;
        winsA = this.gallopRight(tmp, w[cB], cA, lenA, 0);
        if (winsA > 0) {
          copy(tmp, cA, w, dest, winsA);
          dest += winsA;
          cA += winsA;
          lenA -= winsA;
          if (lenA === 1) return copyB();
          if (lenA === 0) return done(); // only with an inconsistent comparator
        }
        w[dest++] = w[cB++];
        if (--lenB === 0) return done();
        winsB = this.gallopLeft(w, tmp[cA], cB, lenB, 0);
        if (winsB > 0) {
          copy(w, cB, w, dest, winsB);
          dest += winsB;
          cB += winsB;
          lenB -= winsB;
          if (lenB === 0) return done();
        }
        w[dest++] = tmp[cA++];
        if (--lenA === 1) return copyB();
      }
      minGallop++;
      this.minGallop = minGallop;
    }
  }

  /** Merges run A with run B (the shorter, copied out), back to front. */
  private mergeHigh(baseA: number, lenA: number, baseB: number, lenB: number): void {
    const { w, cmp } = this;
    const tmp = w.slice(baseB, baseB + lenB);
    let dest = baseB + lenB - 1;
    let cT = lenB - 1;
    let cA = baseA + lenA - 1;
    w[dest--] = w[cA--];
    const done = () => { if (lenB > 0) copy(tmp, 0, w, dest - (lenB - 1), lenB); };
    const copyA = () => {
      dest -= lenA;
      cA -= lenA;
      copy(w, cA + 1, w, dest + 1, lenA);
      w[dest] = tmp[cT];
    };
    if (--lenA === 0) return done();
    if (lenB === 1) return copyA();
    let minGallop = this.minGallop;
    for (;;) {
      let winsA = 0;
      let winsB = 0;
      for (;;) {
        if (cmp(tmp[cT], w[cA]) < 0) {
          w[dest--] = w[cA--];
          winsA++;
          winsB = 0;
          if (--lenA === 0) return done();
          if (winsA >= minGallop) break;
        } else {
          w[dest--] = tmp[cT--];
          winsB++;
          winsA = 0;
          if (--lenB === 1) return copyA();
          if (winsB >= minGallop) break;
        }
      }
      minGallop++;
      let first = true;
      while (winsA >= MIN_GALLOP || winsB >= MIN_GALLOP || first) {
        first = false;
        minGallop = Math.max(1, minGallop - 1);
        this.minGallop = minGallop;
        let k = this.gallopRight(w, tmp[cT], baseA, lenA, lenA - 1);
        winsA = lenA - k;
        if (winsA > 0) {
          dest -= winsA;
          cA -= winsA;
          copy(w, cA + 1, w, dest + 1, winsA);
          lenA -= winsA;
          if (lenA === 0) return done();
        }
        w[dest--] = tmp[cT--];
        if (--lenB === 1) return copyA();
        k = this.gallopLeft(tmp, w[cA], 0, lenB, lenB - 1);
        winsB = lenB - k;
        if (winsB > 0) {
          dest -= winsB;
          cT -= winsB;
          copy(tmp, cT + 1, w, dest + 1, winsB);
          lenB -= winsB;
          if (lenB === 1) return copyA();
          if (lenB === 0) return done(); // only with an inconsistent comparator
        }
        w[dest--] = w[cA--];
        if (--lenA === 0) return done();
      }
      minGallop++;
      this.minGallop = minGallop;
    }
  }
}

/**
 * Sorts the non-undefined values (a fresh copy) as V8 sorts its work array; returns the copy. Charged
 * per comparison (LIBRARY_COMPARE_UNITS, and for the default order the characters two strings have in common,
 * compared at memcmp speed; a comparator's call is charged as a call besides).
 */
export function sortValues(host: Host, values: unknown[], cmp: unknown, what: string): unknown[] {
  const w = values.slice();
  if (w.length < 2) return w;
  chargeArray(host, w.length);
  if (cmp === undefined) {
    const keyed: { k: string; v: unknown }[] = [];
    // A key object and the string of each value.
    host.tick(1 + w.length);
    host.alloc(w.length * (OBJECT_HEADER + ELEMENT));
    for (const v of w) {
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) return unsupported(host, what, 'default order of objects');
      // Node's ToString throws a TypeError on a symbol, where String(v) would give its text.
      if (typeof v === 'symbol') return unsupported(host, what, 'default order of symbols');
      const k = String(v);
      if (typeof v !== 'string') chargeString(host, k.length);
      keyed.push({ k, v });
    }
    new TimSort(keyed, (x, y) => {
      const a = (x as { k: string }).k;
      const b = (y as { k: string }).k;
      host.tick(LIBRARY_COMPARE_UNITS + Math.floor((a.length < b.length ? a.length : b.length) / FAST_CHARS_PER_UNIT));
      return a < b ? -1 : a > b ? 1 : 0;
    }).sort();
    return keyed.map((e) => e.v);
  }
  new TimSort(w, (x, y) => {
    host.tick(LIBRARY_COMPARE_UNITS);
    const r = host.toNumber(host.call(cmp, undefined, [x, y]));
    return r !== r ? 0 : r;
  }).sort();
  return w;
}
