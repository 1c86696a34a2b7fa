// Test helpers for the statistics tests: unwrap a nullable result, and compare numbers that may be null.
import { expect } from 'chai';

/** The value, failing the test when it is null or undefined. */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  expect(value, `${what} should exist`).to.not.equal(null);
  expect(value, `${what} should exist`).to.not.equal(undefined);
  return value as T;
}

/** actual (not null) is within tol of expected. */
export function near(actual: number | null | undefined, expected: number, tol: number, what = 'value'): void {
  expect(must(actual, what), what).to.be.closeTo(expected, tol);
}
