import { SigmatiqError } from '../errors.js';
import { IndicatorCache } from '../indicators/cache.js';
import type { CompiledProgram } from './compile.js';
import type { Node } from './ir.js';
import * as K from './kernels.js';
import * as M from './masks.js';
import type { EvalInputs, IndicatorRequirement, IndicatorSource } from './types.js';

/** Per-program scratch buffers, reused across evaluations of the same length (no per-call garbage). */
/** Requirements remembered per indicator node (beyond this the memo starts again). */
const MAX_MEMO = 4096;

export class Scratch {
  /**
   * Indicator requirements by node id, then by the node's parameter values (for nodes over bar
   * fields only: their key depends on nothing else), so evaluating the same rule again with the
   * same values reuses the object and its key string instead of validating and printing again.
   */
  readonly requirements = new Map<number, Map<string, IndicatorRequirement>>();
  private readonly f64: (Float64Array | undefined)[] = [];
  private readonly u8: (Uint8Array | undefined)[] = [];
  private readonly tmp: Float64Array[] = [];

  float(slot: number, n: number): Float64Array {
    let b = this.f64[slot];
    if (b?.length !== n) {
      b = new Float64Array(n);
      this.f64[slot] = b;
    }
    return b;
  }
  bool(slot: number, n: number): Uint8Array {
    let b = this.u8[slot];
    if (b?.length !== n) {
      b = new Uint8Array(n);
      this.u8[slot] = b;
    }
    return b;
  }
  /** Temporary float buffer `k` (not tied to a node), length >= n. */
  temp(k: number, n: number): Float64Array {
    let b = this.tmp[k];
    if (b === undefined || b.length < n) {
      b = new Float64Array(n);
      this.tmp[k] = b;
    }
    return b;
  }
}

/** A local memo used when the caller gives no indicator cache. */
export class IndicatorMemo implements IndicatorSource {
  private readonly map = new Map<string, readonly Float64Array[]>();
  get(req: IndicatorRequirement, compute: () => readonly Float64Array[]): readonly Float64Array[] {
    let v = this.map.get(req.key);
    if (v === undefined) {
      v = compute();
      this.map.set(req.key, v);
    }
    return v;
  }
}

function fmt(v: number): string {
  return Object.is(v, -0) ? '0' : String(v);
}

/** Binds parameter values and evaluates nodes into scratch buffers. */
export class Evaluator {
  readonly n: number;
  private readonly params: Readonly<Record<string, number>>;

  constructor(
    private readonly prog: CompiledProgram,
    private readonly inputs: EvalInputs,
    private readonly scratch: Scratch,
    defaults: Readonly<Record<string, number>>,
    private readonly source: IndicatorSource,
  ) {
    this.n = inputs.bars.length;
    const params: Record<string, number> = {};
    for (const name of prog.paramNames) {
      const v = inputs.params?.[name] ?? defaults[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new SigmatiqError('EXPR_PARAM', `parameter '${name}' needs a finite number, got ${String(v)}`, { param: name, expression: prog.source });
      }
      params[name] = v;
    }
    this.params = params;
  }

  scalar(node: Node): number {
    switch (node.k) {
      case 'const':
        return node.v;
      case 'param':
        return this.params[node.name] ?? NaN;
      case 'sbin':
        return K.scalarArith(node.op, this.scalar(node.a), this.scalar(node.b));
      case 'sneg':
        return -this.scalar(node.a);
      case 'abs':
        return Math.abs(this.scalar(node.a));
      default:
        throw new Error(`internal: node ${node.k} is not scalar`);
    }
  }

  /** A scalar argument that must be an integer >= min (window lengths, shifts). */
  private count(node: Node, what: string, min: number): number {
    const v = this.scalar(node);
    if (!Number.isInteger(v) || v < min) {
      const param = node.k === 'param' ? node.name : undefined;
      throw new SigmatiqError('EXPR_PARAM', `${what} must be an integer >= ${min}, got ${v}`, { column: node.pos + 1, expression: this.prog.source, ...(param === undefined ? {} : { param }) });
    }
    return v;
  }

  series(node: Node): Float64Array {
    const n = this.n;
    if (node.type === 'scalar') return this.scratch.float(node.id, n).fill(this.scalar(node));
    switch (node.k) {
      case 'field':
        return this.inputs.bars[node.field];
      case 'ext': {
        const s = this.inputs.series?.[node.name];
        if (s?.length !== n) {
          throw new SigmatiqError('EXPR_INPUT', `series '${node.name}' ${s === undefined ? 'was not supplied' : `has length ${s.length}, expected ${n}`}`, { name: node.name, expression: this.prog.source });
        }
        return s;
      }
      case 'ind': {
        const req = this.requirement(node);
        const ts = node.def.usesTime ? this.inputs.bars.ts : undefined;
        const cache = this.inputs.indicators;
        let outs: readonly Float64Array[];
        if (cache instanceof IndicatorCache && req.fieldsOnly) {
          // Keyed by array identity: only safe for bar-field inputs (scratch buffers change content).
          const ins = node.inputs === undefined ? node.def.inputs.map((f) => this.inputs.bars[f]) : node.inputs.map((x) => this.series(x));
          outs = cache.computeFrom(node.def, ins, req.params, ts);
        } else {
          outs = this.source.get(req, () => {
            const ins = node.inputs === undefined ? node.def.inputs.map((f) => this.inputs.bars[f]) : node.inputs.map((x) => this.series(x));
            return node.def.computeFrom(ins, req.params, ts);
          });
        }
        const out = outs[node.output];
        if (out?.length !== n) throw new SigmatiqError('EXPR_INPUT', `indicator ${req.key} gave no output ${node.output} of length ${n}`, { key: req.key });
        return out;
      }
      case 'arith': {
        const out = this.scratch.float(node.id, n);
        K.arith(node.op, this.series(node.a), this.series(node.b), out);
        return out;
      }
      case 'neg': {
        const out = this.scratch.float(node.id, n);
        K.negate(this.series(node.a), out);
        return out;
      }
      case 'abs': {
        const out = this.scratch.float(node.id, n);
        K.absolute(this.series(node.a), out);
        return out;
      }
      case 'shift': {
        const out = this.scratch.float(node.id, n);
        K.shiftSeries(this.series(node.x), this.count(node.n, 'shift', 0), out);
        return out;
      }
      case 'roll': {
        const out = this.scratch.float(node.id, n);
        const w = this.count(node.n, node.max ? 'highest window' : 'lowest window', 1);
        K.rolling(node.max, this.series(node.x), w, out, this.scratch.temp(0, n), this.scratch.temp(1, n));
        return out;
      }
      default:
        throw new Error(`internal: node ${node.k} is not a series`);
    }
  }

  /**
   * The final signal of a condition into `out`: 1 where definitely true, else 0 (false or unknown).
   * That is the T mask of the rule (masks.ts), written straight into `out`.
   */
  signal(node: Node, out: Uint8Array): Uint8Array {
    return this.mask(node, true, out);
  }

  /**
   * A condition as a 0/1 mask: `pos` = definitely true (T), else definitely false (F); where
   * neither is 1 the Kleene value is unknown. Writes into `into` when given, else a scratch slot
   * per (node, polarity).
   */
  mask(node: Node, pos: boolean, into?: Uint8Array): Uint8Array {
    const n = this.n;
    const out = into ?? this.scratch.bool(node.id * 2 + (pos ? 0 : 1), n);
    switch (node.k) {
      case 'bconst':
        return out.fill(node.v === pos ? 1 : 0);
      case 'cmp':
        M.cmpMask(pos ? node.op : M.NEGATED[node.op], this.series(node.a), this.series(node.b), out);
        return out;
      case 'logic': {
        const a = this.mask(node.a, pos);
        const b = this.mask(node.b, pos);
        // T(and) and F(or) are intersections; T(or) and F(and) unions.
        if ((node.op === 'and') === pos) M.andMask(a, b, out);
        else M.orMask(a, b, out);
        return out;
      }
      case 'not':
        return this.mask(node.a, !pos, out);
      case 'cross':
        M.crossMask(node.above, pos, this.series(node.a), this.series(node.b), out);
        return out;
      case 'between':
        M.betweenMask(pos, this.series(node.x), this.series(node.lo), this.series(node.hi), out);
        return out;
      case 'shift':
        M.shiftMask(this.mask(node.x, pos), this.count(node.n, 'shift', 0), out);
        return out;
      default:
        throw new Error(`internal: node ${node.k} is not a condition`);
    }
  }

  /** Canonical text of a node with parameters bound (for requirement keys). */
  print(node: Node): string {
    if (node.type === 'scalar') return fmt(this.scalar(node));
    switch (node.k) {
      case 'field':
        return node.field;
      case 'ext':
        return `$${node.name}`;
      case 'ind': {
        const r = this.requirement(node);
        return `${r.key}#${node.output}`;
      }
      case 'arith':
        return `(${this.print(node.a)}${node.op}${this.print(node.b)})`;
      case 'neg':
        return `(-${this.print(node.a)})`;
      case 'abs':
        return `abs(${this.print(node.a)})`;
      case 'shift':
        return `shift(${this.print(node.x)},${this.print(node.n)})`;
      case 'roll':
        return `${node.max ? 'highest' : 'lowest'}(${this.print(node.x)},${this.print(node.n)})`;
      default:
        return `<${node.k}>`;
    }
  }

  requirement(node: Extract<Node, { k: 'ind' }>): IndicatorRequirement {
    if (node.inputs !== undefined && !node.inputs.every((x) => x.k === 'field')) return this.resolveRequirement(node);
    let memo = this.scratch.requirements.get(node.id);
    if (memo === undefined) {
      memo = new Map();
      this.scratch.requirements.set(node.id, memo);
    }
    let key = '';
    for (const p of node.params) key += `${this.scalar(p)},`;
    let req = memo.get(key);
    if (req === undefined) {
      req = this.resolveRequirement(node);
      if (memo.size >= MAX_MEMO) memo.clear();
      memo.set(key, req);
    }
    return req;
  }

  private resolveRequirement(node: Extract<Node, { k: 'ind' }>): IndicatorRequirement {
    const raw: Record<string, number> = {};
    node.params.forEach((p, i) => {
      const def = node.def.params[i];
      if (def !== undefined) raw[def.name] = this.scalar(p);
    });
    const params = node.def.resolveParams(raw);
    const inputs = node.inputs === undefined ? [...node.def.inputs] : node.inputs.map((x) => this.print(x));
    const fieldsOnly = node.inputs === undefined || node.inputs.every((x) => x.k === 'field');
    const ps = node.def.params.map((d) => `${d.name}=${fmt(params[d.name] ?? d.default)}`).join(',');
    return { name: node.def.name, params, inputs, fieldsOnly, key: `${node.def.name}(${ps})[${inputs.join(',')}]` };
  }
}
