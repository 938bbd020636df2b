/** Request bodies used by several tests. */
export function samplePack(name: string, version = '1.0.0') {
  return {
    name,
    version,
    metadata: { vibe: { time_horizon: 'swing', risk_appetite: 'moderate', decision_style: 'systematic', market_preference: 'equities', execution_character: 'patient' } },
    supported_instruments: ['stock'],
    default_instrument: 'stock',
    tags: ['swing'],
    author: 'tests',
    spec: { indicators: [{ id: 'rsi', params: { period: 14 } }] },
  };
}
