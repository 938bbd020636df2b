import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { LEADERBOARD_MIME, type LeaderboardDocV1, type LeaderboardRowV1, leaderboardProblems, metricValue } from '@sigmatiq/engine/dist/mime/leaderboard';

export type SortKey = { kind: 'rank' | 'gate' | 'hash' } | { kind: 'param' | 'metric'; name: string };

interface Column {
  label: string;
  key: SortKey;
  cell: (r: LeaderboardRowV1) => string;
}

const GATE_ORDER: Record<string, number> = { PASS: 0, MARGINAL: 1, FAIL: 2 };

export function fmt(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (v === Number.POSITIVE_INFINITY) return '∞';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  return String(v);
}

function sortValue(row: LeaderboardRowV1, key: SortKey): number | string {
  switch (key.kind) {
    case 'rank':
      return row.rank;
    case 'gate':
      return GATE_ORDER[row.gate] ?? 3;
    case 'hash':
      return row.config_hash;
    case 'param': {
      const v = row.params[key.name];
      return typeof v === 'number' ? v : String(v ?? '');
    }
    case 'metric':
      return metricValue(key.name, row.metrics[key.name]) ?? Number.NEGATIVE_INFINITY;
  }
}

export interface LeaderboardSort {
  key: SortKey;
  descending: boolean;
}

export interface LeaderboardTableOptions {
  sort: LeaderboardSort;
  onSort: (sort: LeaderboardSort) => void;
  /** Row click (the Leaderboard panel selects a combination); rows get `data-key` = the row's config_hash. */
  onRowClick?: (row: LeaderboardRowV1) => void;
  /** config_hash of the highlighted row. */
  selected?: string | null;
}

export function sortRows(rows: readonly LeaderboardRowV1[], sort: LeaderboardSort): LeaderboardRowV1[] {
  const { key, descending } = sort;
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? sign * c : a.rank - b.rank;
  });
}

/** The stats line: title, trials, DSR, PBO. */
export function leaderboardHeaderText(doc: LeaderboardDocV1): string {
  const stat = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
  return `${doc.title} · trials ${doc.stats.trials} · DSR ${stat(doc.stats.dsr)} · PBO ${stat(doc.stats.pbo)}`;
}

/** The sortable table with gate colours, shared by the MIME renderer and the Leaderboard panel. */
export function buildLeaderboardTable(doc: LeaderboardDocV1, opts: LeaderboardTableOptions): HTMLTableElement {
  const table = document.createElement('table');
  table.className = 'sq-Leaderboard-table';
  const paramColumn = (name: string): Column => ({ label: name, key: { kind: 'param', name }, cell: (r) => fmt(r.params[name]) });
  const metricColumn = (name: string): Column => ({ label: name, key: { kind: 'metric', name }, cell: (r) => fmt(metricValue(name, r.metrics[name])) });
  const columns: Column[] = [
    { label: '#', key: { kind: 'rank' }, cell: (r) => String(r.rank) },
    { label: 'gate', key: { kind: 'gate' }, cell: (r) => r.gate },
    ...doc.params.map(paramColumn),
    ...doc.metrics.map(metricColumn),
    { label: 'config_hash', key: { kind: 'hash' }, cell: (r) => r.config_hash.slice(0, 12) },
  ];
  const thead = table.createTHead().insertRow();
  for (const col of columns) {
    const th = document.createElement('th');
    const active = JSON.stringify(col.key) === JSON.stringify(opts.sort.key);
    th.textContent = active ? `${col.label} ${opts.sort.descending ? '▼' : '▲'}` : col.label;
    th.dataset['sort'] = active ? (opts.sort.descending ? 'descending' : 'ascending') : 'none';
    th.addEventListener('click', () => opts.onSort({ key: col.key, descending: active ? !opts.sort.descending : col.key.kind === 'metric' }));
    thead.appendChild(th);
  }
  const tbody = table.createTBody();
  for (const row of sortRows(doc.rows, opts.sort)) {
    const tr = tbody.insertRow();
    tr.dataset['gate'] = row.gate;
    tr.dataset['key'] = row.config_hash;
    tr.className = `sq-gate-${row.gate.toLowerCase()}`;
    if (opts.selected === row.config_hash) tr.classList.add('sq-selected');
    const onRowClick = opts.onRowClick;
    if (onRowClick !== undefined) {
      tr.classList.add('sq-clickable');
      tr.addEventListener('click', () => onRowClick(row));
    }
    for (const col of columns) {
      const td = tr.insertCell();
      td.textContent = col.cell(row);
      if (col.key.kind === 'gate') td.className = 'sq-gate-cell';
      if (col.key.kind === 'hash') td.title = row.config_hash;
    }
  }
  return table;
}

/** Renders application/vnd.sigmatiq.leaderboard.v1+json: stats header and a sortable table with gate colours. */
export class LeaderboardRenderer extends Widget implements IRenderMime.IRenderer {
  private doc: LeaderboardDocV1 | null = null;
  private sort: LeaderboardSort = { key: { kind: 'rank' }, descending: false };

  constructor() {
    super();
    this.addClass('sq-Leaderboard');
  }

  renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[LEADERBOARD_MIME];
    const problems = leaderboardProblems(data);
    if (problems.length > 0) {
      this.node.textContent = `Invalid Sigmatiq leaderboard: ${problems.join('; ')}`;
      this.node.classList.add('sq-Leaderboard-invalid');
      return Promise.resolve();
    }
    this.doc = data as unknown as LeaderboardDocV1;
    this.draw();
    return Promise.resolve();
  }

  private draw(): void {
    const doc = this.doc;
    if (doc === null) return;
    this.node.replaceChildren();
    const header = document.createElement('div');
    header.className = 'sq-Leaderboard-header';
    header.textContent = leaderboardHeaderText(doc);
    this.node.appendChild(header);
    this.node.appendChild(
      buildLeaderboardTable(doc, {
        sort: this.sort,
        onSort: (sort) => {
          this.sort = sort;
          this.draw();
        },
      }),
    );
  }
}

export const leaderboardRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [LEADERBOARD_MIME],
  defaultRank: 50,
  createRenderer: () => new LeaderboardRenderer(),
};
