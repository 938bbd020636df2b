/**
 * Histogram-based gradient-boosted decision trees for binary log loss (LightGBM's algorithm,
 * depth-wise growth): features binned once (bins.ts), per-node gradient/hessian histograms with
 * the subtraction trick (build the smaller child, subtract from the parent), leaf row counts
 * estimated from the hessian as LightGBM does (for min_data_in_leaf), shrinkage, L2 on
 * leaf values, minimum child size, row subsampling (Bernoulli per tree) and column subsampling
 * per tree with the engine's seeded RNG, early stopping on a validation set's log loss.
 * Deterministic for a seed: fixed iteration orders, ties go to the first feature / lowest bin.
 */
import { createRng } from '../random/index.js';
import { applyBins, binCount, fitBins } from './bins.js';
import { checkParam, trainError } from './errors.js';
import { checkLabels, checkMatrix, sigmoid, type FeatureMatrix } from './matrix.js';
import { predictTreeBinned, type Tree } from './tree.js';

export interface GbdtParams {
  readonly nEstimators?: number;
  readonly learningRate?: number;
  readonly maxDepth?: number;
  /** Minimum rows in a leaf (LightGBM min_data_in_leaf). */
  readonly minChildSamples?: number;
  /** Minimum hessian sum in a leaf (LightGBM min_sum_hessian_in_leaf). */
  readonly minChildWeight?: number;
  /** L2 penalty on leaf values (LightGBM lambda_l2). */
  readonly lambdaL2?: number;
  readonly minSplitGain?: number;
  readonly maxBin?: number;
  /** Fraction of rows drawn (Bernoulli) for each tree. */
  readonly subsample?: number;
  /** Fraction of features drawn for each tree. */
  readonly colsample?: number;
  /** Stop after this many rounds without a better validation log loss (needs a validation set). */
  readonly earlyStoppingRounds?: number;
  readonly seed?: number;
}

export const GBDT_DEFAULTS: Required<Omit<GbdtParams, 'earlyStoppingRounds'>> & { earlyStoppingRounds: number } = {
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 4,
  minChildSamples: 20,
  minChildWeight: 1e-3,
  lambdaL2: 0,
  minSplitGain: 0,
  maxBin: 255,
  subsample: 1,
  colsample: 1,
  earlyStoppingRounds: 0,
  seed: 42,
};

export interface GbdtModel {
  readonly kind: 'gbdt';
  readonly features: readonly string[];
  /** Raw score before the first tree: log(p / (1 − p)) of the training labels. */
  readonly init: number;
  readonly trees: readonly Tree[];
  /** Sum of split gains per feature (LightGBM importance_type='gain'). */
  readonly gain: readonly number[];
  readonly bestIteration: number;
  /** Validation log loss after each tree (empty without a validation set). */
  readonly validLoss: readonly number[];
}

export interface Validation {
  readonly x: FeatureMatrix;
  readonly y: Uint8Array;
}

const STRIDE = 256 * 2; // per feature: 256 bins × (grad, hess)

function resolve(p: GbdtParams): typeof GBDT_DEFAULTS {
  const r = { ...GBDT_DEFAULTS, ...Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) } as typeof GBDT_DEFAULTS;
  const int = (k: keyof typeof r, min: number): void => checkParam(Number.isInteger(r[k]) && r[k] >= min, k, `must be an integer ≥ ${min}, got ${r[k]}`, r[k]);
  int('nEstimators', 1);
  int('maxDepth', 1);
  int('minChildSamples', 1);
  int('earlyStoppingRounds', 0);
  int('seed', 0);
  checkParam(r.learningRate > 0 && r.learningRate <= 1, 'learningRate', `must be in (0, 1], got ${r.learningRate}`, r.learningRate);
  checkParam(r.subsample > 0 && r.subsample <= 1, 'subsample', `must be in (0, 1], got ${r.subsample}`, r.subsample);
  checkParam(r.colsample > 0 && r.colsample <= 1, 'colsample', `must be in (0, 1], got ${r.colsample}`, r.colsample);
  checkParam(r.lambdaL2 >= 0 && r.minChildWeight >= 0 && r.minSplitGain >= 0, 'lambdaL2/minChildWeight/minSplitGain', 'must be ≥ 0');
  checkParam(r.maxDepth <= 12, 'maxDepth', `must be ≤ 12, got ${r.maxDepth}`, r.maxDepth);
  return r;
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
}

/** Best split of one node from its histogram; undefined when no split satisfies the constraints. */
function bestSplit(hist: Float64Array, feats: Int32Array, nbins: Int32Array, G: number, H: number, N: number, r: typeof GBDT_DEFAULTS): Split | undefined {
  const lam = r.lambdaL2;
  const parent = (G * G) / (H + lam);
  const cntFactor = N / H;
  let best: Split | undefined;
  for (let fi = 0; fi < feats.length; fi++) {
    const f = feats[fi] as number;
    const base = f * STRIDE;
    const nb = nbins[f] as number;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < nb; b++) {
      const o = base + b * 2;
      gl += hist[o] as number;
      hl += hist[o + 1] as number;
      // Row counts estimated from the hessian, as LightGBM does (histograms hold no counts).
      const nl = Math.round(hl * cntFactor);
      if (nl < r.minChildSamples || hl < r.minChildWeight) continue;
      const nr = N - nl;
      const hr = H - hl;
      if (nr < r.minChildSamples) break;
      if (hr < r.minChildWeight) continue;
      const gr = G - gl;
      const gain = (gl * gl) / (hl + lam) + (gr * gr) / (hr + lam) - parent;
      if (gain > r.minSplitGain && (best === undefined || gain > best.gain)) best = { feature: f, bin: b, gain };
    }
  }
  return best;
}

export function fitGbdt(x: FeatureMatrix, y: Uint8Array, params: GbdtParams = {}, valid?: Validation, checkpoint?: () => void): GbdtModel {
  const r = resolve(params);
  checkMatrix(x);
  checkLabels(y, x.rows);
  if (valid !== undefined) {
    checkMatrix(valid.x, 'validation features');
    if (valid.y.length !== valid.x.rows) throw trainError('TRAIN_BAD_INPUT', `validation: ${valid.y.length} labels for ${valid.x.rows} rows`, { field: 'validation' });
    if (valid.x.columns.length !== x.columns.length) throw trainError('TRAIN_BAD_INPUT', 'validation: feature count differs from training', { field: 'validation' });
  }
  if (r.earlyStoppingRounds > 0 && valid === undefined) throw trainError('TRAIN_BAD_PARAM', 'earlyStoppingRounds needs a validation set', { parameter: 'earlyStoppingRounds' });
  const n = x.rows;
  const F = x.columns.length;
  const mapper = fitBins(x, r.maxBin);
  const bins = applyBins(mapper, x);
  const nbins = Int32Array.from({ length: F }, (_, j) => binCount(mapper, j));
  const vbins = valid === undefined ? undefined : applyBins(mapper, valid.x);
  const rng = createRng(r.seed);

  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i] as number;
  const p0 = pos / n;
  const init = Math.log(p0 / (1 - p0));
  const score = new Float64Array(n).fill(init);
  const vscore = valid === undefined ? undefined : new Float64Array(valid.x.rows).fill(init);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: Tree[] = [];
  const gain = new Array<number>(F).fill(0);
  const validLoss: number[] = [];
  let bestIteration = 0;
  let bestLoss = Infinity;

  // Four features' bins packed in one int32 per row (group q = features 4q..4q+3): the histogram
  // loop reads one word per row per four features.
  const G4 = Math.ceil(F / 4);
  const packed = new Int32Array(G4 * n);
  for (let j = 0; j < F; j++) {
    const q = j >> 2;
    const shift = (j & 3) * 8;
    for (let i = 0; i < n; i++) packed[q * n + i] = (packed[q * n + i] as number) | ((bins[j * n + i] as number) << shift);
  }
  const pool: Float64Array[] = [];
  const take = (): Float64Array => {
    const h = pool.pop();
    if (h === undefined) return new Float64Array(G4 * 4 * STRIDE);
    h.fill(0);
    return h;
  };
  const idx = new Int32Array(n);
  const scratch = new Int32Array(n);
  const allFeats = Int32Array.from({ length: F }, (_, j) => j);

  for (let t = 0; t < r.nEstimators; t++) {
    checkpoint?.(); // before every tree: a training job's cancellation check (it throws to stop); no effect on the model
    for (let i = 0; i < n; i++) {
      const p = sigmoid(score[i] as number);
      grad[i] = p - (y[i] as number);
      hess[i] = p * (1 - p);
    }
    // Row subsample (Bernoulli), then column subsample (shuffle, keep the first k, sorted).
    let m = 0;
    if (r.subsample < 1) {
      for (let i = 0; i < n; i++) if (rng.uniform() < r.subsample) idx[m++] = i;
    } else {
      for (let i = 0; i < n; i++) idx[i] = i;
      m = n;
    }
    let feats = allFeats;
    if (r.colsample < 1) {
      const k = Math.max(1, Math.round(F * r.colsample));
      feats = Int32Array.from(rng.shuffle(Array.from(allFeats)).slice(0, k)).sort();
    }
    const tree = growTree(bins, packed, n, nbins, grad, hess, idx, scratch, m, feats, mapper.uppers, r, take, pool, gain, m === n ? score : undefined);
    trees.push(tree);
    // Without row sampling growTree added each leaf's value to its rows; otherwise traverse.
    if (m < n) for (let i = 0; i < n; i++) score[i] = (score[i] as number) + predictTreeBinned(tree, bins, n, i);
    if (valid !== undefined && vscore !== undefined && vbins !== undefined) {
      const vn = valid.x.rows;
      let loss = 0;
      for (let i = 0; i < vn; i++) {
        const s = (vscore[i] as number) + predictTreeBinned(tree, vbins, vn, i);
        vscore[i] = s;
        const p = Math.min(Math.max(sigmoid(s), 1e-15), 1 - 1e-15);
        loss -= (valid.y[i] as number) === 1 ? Math.log(p) : Math.log(1 - p);
      }
      loss /= vn;
      validLoss.push(loss);
      if (loss < bestLoss) {
        bestLoss = loss;
        bestIteration = t + 1;
      } else if (r.earlyStoppingRounds > 0 && t + 1 - bestIteration >= r.earlyStoppingRounds) break;
    }
  }
  const kept = r.earlyStoppingRounds > 0 ? bestIteration : trees.length;
  // Gains are recomputed over the kept trees only.
  const keptGain = new Array<number>(F).fill(0);
  for (const tr of trees.slice(0, kept)) tr.feature.forEach((f, k) => {
    if (f >= 0) keptGain[f] = (keptGain[f] as number) + (tr.gain[k] as number);
  });
  return { kind: 'gbdt', features: [...x.names], init, trees: trees.slice(0, kept), gain: keptGain, bestIteration: kept, validLoss };
}

function growTree(
  bins: Uint8Array,
  packed: Int32Array,
  n: number,
  nbins: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  idx: Int32Array,
  scratch: Int32Array,
  m: number,
  feats: Int32Array,
  uppers: readonly Float64Array[],
  r: typeof GBDT_DEFAULTS,
  take: () => Float64Array,
  pool: Float64Array[],
  gainAcc: number[],
  score: Float64Array | undefined,
): Tree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const bin: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const gains: number[] = [];
  interface Node { id: number; start: number; end: number; G: number; H: number; hist: Float64Array | undefined }
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    bin.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    gains.push(0);
    return feature.length - 1;
  };
  const gh = new Float64Array(2 * n);
  const groups = Int32Array.from(new Set(Array.from(feats, (f) => f >> 2)));
  // Over the node's rows in ascending row order (the partition is stable), with the node's
  // gradients gathered once into (g, h) pairs, one packed word (four features) per row and group;
  // each feature's 4 KB histogram stays in L1. Unselected features of a group are accumulated
  // too (never read). At the root without row sampling the rows are 0..n−1 (no index lookup).
  const buildHist = (start: number, end: number): Float64Array => {
    const h = take();
    const len = end - start;
    const identity = start === 0 && len === n;
    for (let k = 0; k < len; k++) {
      const row = identity ? k : (idx[start + k] as number);
      gh[2 * k] = grad[row] as number;
      gh[2 * k + 1] = hess[row] as number;
    }
    for (let gi = 0; gi < groups.length; gi++) {
      const q = groups[gi] as number;
      const col = q * n;
      const h0 = q * 4 * STRIDE;
      const h1 = h0 + STRIDE;
      const h2 = h1 + STRIDE;
      const h3 = h2 + STRIDE;
      for (let k = 0; k < len; k++) {
        const w = packed[col + (identity ? k : (idx[start + k] as number))] as number;
        const g = gh[2 * k] as number;
        const hh = gh[2 * k + 1] as number;
        const o0 = h0 + ((w & 255) << 1);
        const o1 = h1 + (((w >> 8) & 255) << 1);
        const o2 = h2 + (((w >> 16) & 255) << 1);
        const o3 = h3 + ((w >>> 24) << 1);
        h[o0] = (h[o0] as number) + g;
        h[o0 + 1] = (h[o0 + 1] as number) + hh;
        h[o1] = (h[o1] as number) + g;
        h[o1 + 1] = (h[o1 + 1] as number) + hh;
        h[o2] = (h[o2] as number) + g;
        h[o2 + 1] = (h[o2 + 1] as number) + hh;
        h[o3] = (h[o3] as number) + g;
        h[o3 + 1] = (h[o3 + 1] as number) + hh;
      }
    }
    return h;
  };
  const leafValue = (G: number, H: number): number => (-G / (H + r.lambdaL2)) * r.learningRate;
  let G0 = 0;
  let H0 = 0;
  for (let k = 0; k < m; k++) {
    G0 += grad[idx[k] as number] as number;
    H0 += hess[idx[k] as number] as number;
  }
  const ranges: [number, number][] = [[0, m]];
  let level: Node[] = [{ id: newNode(), start: 0, end: m, G: G0, H: H0, hist: buildHist(0, m) }];
  for (let depth = 0; depth < r.maxDepth && level.length > 0; depth++) {
    const next: Node[] = [];
    for (const node of level) {
      const hist = node.hist;
      const split = hist === undefined ? undefined : bestSplit(hist, feats, nbins, node.G, node.H, node.end - node.start, r);
      if (hist === undefined || split === undefined) {
        value[node.id] = leafValue(node.G, node.H);
        if (hist !== undefined) pool.push(hist);
        continue;
      }
      // Stable partition of rows: left (bin ≤ split.bin) first, then right.
      let a = node.start;
      let nr = 0;
      let GL = 0;
      let HL = 0;
      const col = split.feature * n;
      for (let k = node.start; k < node.end; k++) {
        const row = idx[k] as number;
        if ((bins[col + row] as number) <= split.bin) {
          idx[a++] = row;
          GL += grad[row] as number;
          HL += hess[row] as number;
        } else scratch[nr++] = row;
      }
      idx.set(scratch.subarray(0, nr), a);
      const mid = a;
      const lId = newNode();
      const rId = newNode();
      ranges[lId] = [node.start, mid];
      ranges[rId] = [mid, node.end];
      feature[node.id] = split.feature;
      bin[node.id] = split.bin;
      threshold[node.id] = (uppers[split.feature] as Float64Array)[split.bin] as number;
      left[node.id] = lId;
      right[node.id] = rId;
      gains[node.id] = split.gain;
      gainAcc[split.feature] = (gainAcc[split.feature] as number) + split.gain;
      const GR = node.G - GL;
      const HR = node.H - HL;
      if (depth + 1 === r.maxDepth) {
        // The children are leaves: they need no histogram.
        pool.push(hist);
        next.push({ id: lId, start: node.start, end: mid, G: GL, H: HL, hist: undefined }, { id: rId, start: mid, end: node.end, G: GR, H: HR, hist: undefined });
        continue;
      }
      const leftSmaller = mid - node.start <= node.end - mid;
      const small = leftSmaller ? buildHist(node.start, mid) : buildHist(mid, node.end);
      const big = hist; // parent − small, in place
      for (let fi = 0; fi < feats.length; fi++) {
        const base = (feats[fi] as number) * STRIDE;
        for (let o = base; o < base + STRIDE; o++) big[o] = (big[o] as number) - (small[o] as number);
      }
      const ln: Node = { id: lId, start: node.start, end: mid, G: GL, H: HL, hist: leftSmaller ? small : big };
      const rn: Node = { id: rId, start: mid, end: node.end, G: GR, H: HR, hist: leftSmaller ? big : small };
      next.push(ln, rn);
    }
    level = next;
  }
  for (const node of level) {
    value[node.id] = leafValue(node.G, node.H);
    if (node.hist !== undefined) pool.push(node.hist);
  }
  if (score !== undefined) {
    for (let k = 0; k < feature.length; k++) {
      if ((feature[k] as number) >= 0) continue;
      const v = value[k] as number;
      const range = ranges[k];
      if (range === undefined) continue;
      for (let q = range[0]; q < range[1]; q++) {
        const row = idx[q] as number;
        score[row] = (score[row] as number) + v;
      }
    }
  }
  return { feature, threshold, bin, left, right, value, gain: gains };
}

/** Raw scores (log-odds) for every row from raw feature values. */
export function gbdtRawScores(model: GbdtModel, x: FeatureMatrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n).fill(model.init);
  for (const t of model.trees) {
    for (let i = 0; i < n; i++) {
      let k = 0;
      while ((t.feature[k] as number) >= 0) {
        const v = (x.columns[t.feature[k] as number] as Float64Array)[i] as number;
        k = v <= (t.threshold[k] as number) ? (t.left[k] as number) : (t.right[k] as number);
      }
      out[i] = (out[i] as number) + (t.value[k] as number);
    }
  }
  return out;
}

export function predictGbdt(model: GbdtModel, x: FeatureMatrix): Float64Array {
  const s = gbdtRawScores(model, x);
  for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i] as number);
  return s;
}
