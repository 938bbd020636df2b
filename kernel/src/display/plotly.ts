import { bundle, type DisplayOutput, type Displayable, MIME } from './mime.js';

/** A Plotly figure as the `application/vnd.plotly.v1+json` MIME type expects it. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** Wraps a Plotly figure for display; text/plain names the traces for plain front ends. */
export function plot(figure: PlotlyFigure): Displayable & DisplayOutput {
  if (!Array.isArray(figure.data)) throw new TypeError('plot(): figure.data must be an array of traces');
  const title = typeof figure.layout?.['title'] === 'string' ? figure.layout['title'] : (figure.layout?.['title'] as { text?: string } | undefined)?.text;
  const traces = figure.data.map((t, i) => `${typeof t['type'] === 'string' ? t['type'] : 'scatter'}${typeof t['name'] === 'string' ? ` "${t['name']}"` : ` #${i + 1}`}`);
  const text = `Plotly figure${title === undefined ? '' : ` "${title}"`}: ${traces.join(', ') || 'no traces'}`;
  return bundle({ 'text/plain': text, [MIME.plotly]: { data: figure.data, layout: figure.layout ?? {}, config: figure.config ?? {} } });
}
