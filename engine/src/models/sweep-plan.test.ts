import { describe, expect, it } from 'vitest';
import { loadPack } from '../packs/index.js';
import { validatePlan } from '../sweep/spec.js';
import { modelConfig, pinModel, resolveModel } from './index.js';
import { parseSweepPlanYaml, sweepPlan, sweepSpecFor } from './sweep-plan.js';

const swing = loadPack('swing').pack;
const model = resolveModel(pinModel(modelConfig({ name: 'm', pack: 'swing', strategy: 'mean_reversion_swing' }), swing), swing);

describe('parseSweepPlanYaml', () => {
  it('reads every domain form in declared order, gates shorthand and pruning', () => {
    const plan = parseSweepPlanYaml([
      'type: custom', 'sampler: tpe', 'trials: 200', 'seed: 7',
      'space:', '  entry_k: 10..30:5', '  exit_k: [70, 80, 90]', '  stoch.fastk_period: { kind: log, start: 5, end: 40, num: 4, integer: true }', '  adx.period: log:5..40:4:int',
      'conditions: ["entry_k < exit_k"]', 'gates: { min_trades: 10 }', 'pruning: { pareto: true, kendall: { window: 50 } }', 'from: 2005-01-01',
    ].join('\n'));
    expect(plan).toMatchObject({
      type: 'custom', sampler: 'tpe', trials: 200, seed: 7, conditions: ['entry_k < exit_k'], gates: { thresholds: { min_trades: 10 } },
      pruning: { pareto: true, kendall: { window: 50 } }, from: '2005-01-01',
    });
    expect(plan.params).toEqual([
      { name: 'entry_k', kind: 'range', start: 10, end: 30, step: 5 },
      { name: 'exit_k', kind: 'list', values: [70, 80, 90] },
      { name: 'stoch.fastk_period', kind: 'log', start: 5, end: 40, num: 4, integer: true },
      { name: 'adx.period', kind: 'log', start: 5, end: 40, num: 4, integer: true },
    ]);
  });
  it('defaults: simple grid; explicit thresholds/tolerances kept as given', () => {
    const plan = parseSweepPlanYaml('space: { exit_k: 70..90:10 }\ngates: { thresholds: { min_sharpe: 0.5 }, tolerances: { sharpe: 0.2 } }\n');
    expect(plan).toMatchObject({ type: 'simple', sampler: 'grid', gates: { thresholds: { min_sharpe: 0.5 }, tolerances: { sharpe: 0.2 } } });
  });
  it('SWEEP_PLAN_INVALID with line:col (hand-checked: `samplr` is line 2, column 1)', () => {
    expect(() => parseSweepPlanYaml('space: { exit_k: [80] }\nsamplr: tpe\n')).toThrow(expect.objectContaining({ code: 'SWEEP_PLAN_INVALID', message: "%%sweep:2:1: samplr: unknown field 'samplr'" }));
    expect(() => parseSweepPlanYaml('space: { exit_k: [80] }\nsampler: annealing\n')).toThrow(expect.objectContaining({ code: 'SWEEP_PLAN_INVALID', details: expect.objectContaining({ line: 2, col: 10, path: 'sampler' }) as unknown }));
    expect(() => parseSweepPlanYaml('type: simple\n')).toThrow(/space: required field is missing/);
    expect(() => parseSweepPlanYaml('space: [a\n')).toThrow(expect.objectContaining({ code: 'SWEEP_PLAN_YAML' }));
  });
  it('a log form with decimal bounds is a log range; a malformed log form is SWS-1003, not a one-value list', () => {
    expect(parseSweepPlanYaml('space: { risk.stop_loss: log:0.02..0.1:3 }\n').params).toEqual([{ name: 'risk.stop_loss', kind: 'log', start: 0.02, end: 0.1, num: 3, integer: false }]);
    expect(() => parseSweepPlanYaml('space: { risk.stop_loss: log:0.02..0.1 }\n')).toThrow(expect.objectContaining({ code: 'SWEEP_INVALID_SPACE', details: expect.objectContaining({ parameter: 'risk.stop_loss' }) as unknown }));
  });
  it('a malformed range is SWS-1003 naming the parameter', () => {
    expect(() => sweepSpecFor(model, parseSweepPlanYaml('space: { exit_k: "90..70" }\n'))).not.toThrow();
    expect(() => validatePlan(sweepSpecFor(model, parseSweepPlanYaml('space: { exit_k: "90..70" }\n')), {})).toThrow(expect.objectContaining({ code: 'SWEEP_INVALID_SPACE', details: expect.objectContaining({ parameter: 'exit_k' }) as unknown }));
  });
});

describe('sweepSpecFor', () => {
  it('targets the model strategy with its overrides; the engine plans 5 x 3 = 15 grid points', () => {
    const spec = sweepSpecFor(model, sweepPlan({ space: { entry_k: '10..30:5', exit_k: [70, 80, 90] } }));
    expect(spec.target).toBe(model.sweepTarget);
    expect(validatePlan(spec, {}).planned).toBe(15);
  });
  it('a simple grid over 45 is SWS-1001 before any work', () => {
    const spec = sweepSpecFor(model, sweepPlan({ space: { entry_k: '5..40:5', exit_k: '60..95:5' } }));
    expect(() => validatePlan(spec, {})).toThrow(expect.objectContaining({ code: 'SWEEP_CAP_EXCEEDED' }));
  });
});
