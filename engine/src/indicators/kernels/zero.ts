/**
 * TA-Lib 0.8's zero tests (ta_utility.h): TA_EPSILON = 1e-14.
 * TA_IS_ZERO(v): -1e-14 < v < 1e-14; TA_IS_ZERO_OR_NEG(v): v < 1e-14.
 */
export const TA_EPSILON = 1e-14;

export function isZero(v: number): boolean {
  return -TA_EPSILON < v && v < TA_EPSILON;
}

export function isZeroOrNeg(v: number): boolean {
  return v < TA_EPSILON;
}
