import type { JsonObject } from './wire.js';

/** history_request (messaging spec 5.3) over this session's cells: tail, range and search. */
export interface HistoryRequest {
  output?: boolean;
  raw?: boolean;
  hist_access_type?: 'tail' | 'range' | 'search';
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

export interface HistoryItem {
  line: number;
  input: string;
  output: string | null;
}

/** This kernel keeps one session's history in memory; it is session number 1. */
export const HISTORY_SESSION = 1;

/** Glob (`*`, `?`) to an anchored regular expression, as IPython's history search does. */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${body}$`);
}

export function historyReply(items: readonly HistoryItem[], req: HistoryRequest): JsonObject {
  let selected: HistoryItem[];
  const n = typeof req.n === 'number' && req.n > 0 ? req.n : undefined;
  switch (req.hist_access_type) {
    case 'range': {
      const session = req.session ?? HISTORY_SESSION;
      const start = req.start ?? 1;
      const stop = req.stop ?? Number.POSITIVE_INFINITY;
      selected = session === HISTORY_SESSION || session === 0 ? items.filter((h) => h.line >= start && h.line < stop) : [];
      break;
    }
    case 'search': {
      const re = globToRegExp(req.pattern ?? '*');
      let found = items.filter((h) => re.test(h.input));
      if (req.unique === true) {
        const seen = new Set<string>();
        found = found.reverse().filter((h) => (seen.has(h.input) ? false : (seen.add(h.input), true))).reverse();
      }
      selected = n === undefined ? found : found.slice(-n);
      break;
    }
    default:
      selected = n === undefined ? [...items] : items.slice(-n);
  }
  const history = selected.map((h) => (req.output === true ? [HISTORY_SESSION, h.line, [h.input, h.output]] : [HISTORY_SESSION, h.line, h.input]));
  return { status: 'ok', history };
}
