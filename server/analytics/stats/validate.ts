// Argument checks shared by the statistics functions: they throw RangeError on input that is not data.

/** A count: a finite integer >= 0. */
export function assertCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number >= 0 (got ${value})`);
}

/** A finite number (not NaN or ±Infinity). */
export function assertFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number (got ${value})`);
}

/** A critical value for an interval: finite and > 0. */
export function assertZ(z: number): void {
  if (!Number.isFinite(z) || z <= 0) throw new RangeError(`z must be a finite number > 0 (got ${z})`);
}
