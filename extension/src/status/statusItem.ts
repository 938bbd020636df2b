import { Widget } from '@lumino/widgets';
import type { ISidecarConnection, ISidecarHealth } from '../tokens';

/** Status-bar item: the sidecar's health, refreshed on a timer; click re-checks. */
export class SidecarStatus extends Widget {
  constructor(private readonly sidecar: ISidecarConnection) {
    super();
    this.addClass('sq-SidecarStatus');
    this.node.title = 'Sigmatiq sidecar health (click to check again)';
    this.node.addEventListener('click', () => void this.sidecar.checkHealth());
    sidecar.healthChanged.connect((_, health) => this.render(health));
    this.render(sidecar.health);
  }

  private render(health: ISidecarHealth | null): void {
    const status = health?.status ?? 'checking';
    this.node.dataset['status'] = status;
    this.node.textContent = `Sigmatiq: ${status}`;
    if (health?.error) this.node.title = `Sigmatiq sidecar: ${health.error} (click to check again)`;
    else if (health?.version) this.node.title = `Sigmatiq sidecar ${health.version}: ${status} (click to check again)`;
  }
}
