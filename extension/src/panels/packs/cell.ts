/** The `%model create` line for a pack strategy; the model name defaults to `<pack>-<strategy>` (model-name characters only). */
export function modelCreateLine(packId: string, strategyId: string, name = `${packId}-${strategyId}`.replace(/[^A-Za-z0-9_.-]/g, '-')): string {
  return `%model create ${name} --pack ${packId} --strategy ${strategyId}`;
}
