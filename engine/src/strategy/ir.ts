import type { BarField } from '../data/bars.js';
import type { IndicatorDef } from '../indicators/types.js';

/** Value kinds: a scalar (numbers and params), a float64 series, a boolean series (Kleene 0/1/2). */
export type ValueType = 'scalar' | 'series' | 'bool';

export type ArithOp = '+' | '-' | '*' | '/';
export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

interface Base {
  /** Index of the node in the compiled program (scratch-buffer slot). */
  readonly id: number;
  readonly type: ValueType;
  /** 0-based offset in the source the node came from. */
  readonly pos: number;
}

/** Resolved, typed program node. */
export type Node =
  | (Base & { readonly k: 'const'; readonly v: number })
  | (Base & { readonly k: 'param'; readonly name: string })
  | (Base & { readonly k: 'sbin'; readonly op: ArithOp; readonly a: Node; readonly b: Node })
  | (Base & { readonly k: 'sneg'; readonly a: Node })
  | (Base & { readonly k: 'field'; readonly field: BarField })
  | (Base & { readonly k: 'ext'; readonly name: string })
  | (Base & {
      readonly k: 'ind';
      readonly def: IndicatorDef;
      readonly output: number;
      /** Input series in `def.inputs` order; `undefined` = the bar fields `def.inputs` name. */
      readonly inputs: readonly Node[] | undefined;
      /** Scalar nodes by position in `def.params`; missing = the parameter's default. */
      readonly params: readonly Node[];
    })
  | (Base & { readonly k: 'arith'; readonly op: ArithOp; readonly a: Node; readonly b: Node })
  | (Base & { readonly k: 'neg'; readonly a: Node })
  | (Base & { readonly k: 'abs'; readonly a: Node })
  | (Base & { readonly k: 'cmp'; readonly op: CmpOp; readonly a: Node; readonly b: Node })
  | (Base & { readonly k: 'bconst'; readonly v: boolean })
  | (Base & { readonly k: 'logic'; readonly op: 'and' | 'or'; readonly a: Node; readonly b: Node })
  | (Base & { readonly k: 'not'; readonly a: Node })
  | (Base & { readonly k: 'cross'; readonly above: boolean; readonly a: Node; readonly b: Node })
  | (Base & { readonly k: 'shift'; readonly x: Node; readonly n: Node })
  | (Base & { readonly k: 'roll'; readonly max: boolean; readonly x: Node; readonly n: Node })
  | (Base & { readonly k: 'between'; readonly x: Node; readonly lo: Node; readonly hi: Node });
