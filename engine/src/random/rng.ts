/**
 * The engine's one seeded PRNG: xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/),
 * 32-bit state words so every step is plain int32 arithmetic in JS (fast, exact, portable).
 *
 * Seeding: a 64-bit integer seed (a JS safe integer or a bigint, taken modulo 2^64) is expanded by
 * SplitMix64 into two 64-bit words; their low and high halves (low first) fill the four state
 * words — the seeding the xoshiro authors recommend. An all-zero state cannot occur in practice
 * but is guarded anyway.
 *
 * Determinism: the same seed gives the same sequence on every platform, forever. Changing the
 * algorithm or any derived method below is a breaking change (it changes every seeded result).
 */
import { SigmatiqError } from '../errors.js';

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** SplitMix64 step: returns [nextState, output], all modulo 2^64. */
export function splitmix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z = z ^ (z >> 31n);
  return [s, z];
}

export type Seed = number | bigint;

function seedToBigInt(seed: Seed): bigint {
  if (typeof seed === 'bigint') return seed & MASK64;
  if (!Number.isSafeInteger(seed)) {
    throw new SigmatiqError('RNG_BAD_SEED', `seed must be a safe integer or a bigint, got ${String(seed)}`, { seed: String(seed) });
  }
  return BigInt(seed) & MASK64;
}

export interface Rng {
  /** Next raw output, an unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller; the second value of each pair is cached). */
  normal(): number;
  /** Uniform integer in [min, max] inclusive, unbiased (rejection). Span up to 2^32. */
  int(min: number, max: number): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
  /** An independent copy of the current state (same future sequence). */
  clone(): Rng;
}

export class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  /** Raw constructor from four 32-bit state words (used for reference vectors and clone). */
  static fromState(words: readonly [number, number, number, number]): Xoshiro128 {
    const r = new Xoshiro128(0);
    [r.s0, r.s1, r.s2, r.s3] = [words[0] | 0, words[1] | 0, words[2] | 0, words[3] | 0];
    if ((r.s0 | r.s1 | r.s2 | r.s3) === 0) r.s0 = 1;
    return r;
  }

  constructor(seed: Seed) {
    const [st1, a] = splitmix64(seedToBigInt(seed));
    const [, b] = splitmix64(st1);
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spare = undefined;
  }

  nextUint32(): number {
    const s1 = this.s1;
    // result = rotl(s1 * 5, 7) * 9
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new SigmatiqError('RNG_BAD_RANGE', `int(min, max) needs integers with min <= max, got (${min}, ${max})`, { min, max });
    }
    const span = max - min + 1;
    if (span > TWO_POW_32) {
      throw new SigmatiqError('RNG_BAD_RANGE', `int(min, max) span ${span} exceeds 2^32`, { min, max });
    }
    if (span === TWO_POW_32) return min + this.nextUint32();
    // Reject the top partial block so every value is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % span);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return min + (x % span);
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }

  clone(): Rng {
    const r = Xoshiro128.fromState([this.s0, this.s1, this.s2, this.s3]);
    r.spare = this.spare;
    return r;
  }
}

/** The one way engine code gets randomness: `createRng(seed)`. */
export function createRng(seed: Seed): Rng {
  return new Xoshiro128(seed);
}
