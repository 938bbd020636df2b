import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Widget } from '@lumino/widgets';
import { LEADERBOARD_MIME, type LeaderboardDocV1, type LeaderboardRowV1, leaderboardProblems } from '@sigmatiq/engine/dist/mime/leaderboard';

type SortKey = { kind: 'rank' | 'gate' | 'hash' } | { kind: 'param' | 'metric'; name: string };

interface Column {
  label: string;
  key: SortKey;
  cell: (r: LeaderboardRowV1) => string;
}

const GATE_ORDER: Record<string, number> = { PASS: 0, MARGINAL: 1, FAIL: 2 };

function fmt(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
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
      return row.metrics[key.name] ?? Number.NEGATIVE_INFINITY;
  }
}

/** Renders application/vnd.sigmatiq.leaderboard.v1+json: stats header and a sortable table with gate colours. */
export class LeaderboardRenderer extends Widget implements IRenderMime.IRenderer {
  private doc: LeaderboardDocV1 | null = null;
  private sort: { key: SortKey; descending: boolean } = { key: { kind: 'rank' }, descending: false };

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

  private sortedRows(doc: LeaderboardDocV1): LeaderboardRowV1[] {
    const { key, descending } = this.sort;
    const sign = descending ? -1 : 1;
    return [...doc.rows].sort((a, b) => {
      const va = sortValue(a, key);
      const vb = sortValue(b, key);
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return c !== 0 ? sign * c : a.rank - b.rank;
    });
  }

  private draw(): void {
    const doc = this.doc;
    if (doc === null) return;
    this.node.replaceChildren();
    const header = document.createElement('div');
    header.className = 'sq-Leaderboard-header';
    const stat = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
    header.textContent = `${doc.title} · trials ${doc.stats.trials} · DSR ${stat(doc.stats.dsr)} · PBO ${stat(doc.stats.pbo)}`;
    this.node.appendChild(header);

    const table = document.createElement('table');
    table.className = 'sq-Leaderboard-table';
    const paramColumn = (name: string): Column => ({ label: name, key: { kind: 'param', name }, cell: (r) => fmt(r.params[name]) });
    const metricColumn = (name: string): Column => ({ label: name, key: { kind: 'metric', name }, cell: (r) => fmt(r.metrics[name]) });
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
      const active = JSON.stringify(col.key) === JSON.stringify(this.sort.key);
      th.textContent = active ? `${col.label} ${this.sort.descending ? '▼' : '▲'}` : col.label;
      th.dataset['sort'] = active ? (this.sort.descending ? 'descending' : 'ascending') : 'none';
      th.addEventListener('click', () => {
        this.sort = { key: col.key, descending: active ? !this.sort.descending : col.key.kind === 'metric' };
        this.draw();
      });
      thead.appendChild(th);
    }
    const tbody = table.createTBody();
    for (const row of this.sortedRows(doc)) {
      const tr = tbody.insertRow();
      tr.dataset['gate'] = row.gate;
      tr.className = `sq-gate-${row.gate.toLowerCase()}`;
      for (const col of columns) {
        const td = tr.insertCell();
        td.textContent = col.cell(row);
        if (col.key.kind === 'gate') td.className = 'sq-gate-cell';
        if (col.key.kind === 'hash') td.title = row.config_hash;
      }
    }
    this.node.appendChild(table);
  }
}

export const leaderboardRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [LEADERBOARD_MIME],
  defaultRank: 50,
  createRenderer: () => new LeaderboardRenderer(),
};
