/**
 * Piscina worker entry (loaded from engine/dist: build with `npm run build`). Keeps one
 * JobEvaluator per sweep token, so compiled rules and indicator values are shared by every task
 * of a sweep that lands on this worker; older tokens are dropped.
 */
import { JobEvaluator } from './evaluate.js';
import { pboLogitsPart } from '../stats/pbo.js';
import type { EvalResult, EvalTask, PboTask } from './protocol.js';

let current: JobEvaluator | undefined;

export default function evaluateTask(task: EvalTask): EvalResult {
  if (current === undefined || current.job.token !== task.job.token) {
    current?.dispose();
    current = new JobEvaluator(task.job);
  }
  return current.evaluate(task.ids, task.runs);
}

/** One share of a parallel PBO (piscina task name `pboTask`). */
export function pboTask(task: PboTask): Float64Array {
  return pboLogitsPart(task.stats, task.prefixes);
}
