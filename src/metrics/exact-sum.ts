/**
 * A sum of doubles that does not depend on the order of its terms: Shewchuk's exact partials
 * (the algorithm behind Python's math.fsum). Per-user means of computed metrics are sums over calls;
 * a live listing adds calls in the vendor's order, the store in start order, and both must give the
 * same number to the last digit (a 0.0005 boundary is otherwise crossed one way or the other).
 */
export class ExactSum {
  /** non-overlapping partials, increasing magnitude; their exact sum is the running total */
  private partials: number[] = [];

  add(x: number): void {
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  /** The total, correctly rounded from the exact sum of every term added. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // half-way cases: the next partial decides the rounding direction
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}
