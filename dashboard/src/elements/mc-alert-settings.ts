import { LitElement, css, html, nothing } from 'lit';
import { StoreController } from '../controllers/store-controller.ts';
import { type AlertSettings, riskOrder } from '../state/decision-alerts.ts';
import type { Store } from '../state/store.ts';
import type { Risk } from '../state/types.ts';
import { shared } from './styles.ts';

/**
 * The operator's choice of alerts for new decisions: desktop notifications (the browser's
 * permission is asked for on the click, never on load), the least risk worth one, and a beep.
 */
export class McAlertSettings extends LitElement {
  static override styles = [
    shared,
    css`
      .alerts {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 1rem;
        margin-bottom: 1rem;
        font-size: 0.9rem;
      }
      button[aria-pressed='true'] {
        border-color: var(--mc-accent);
        color: var(--mc-accent);
      }
      label {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
      }
    `,
  ];
  static override properties = { settings: { attribute: false }, asking: { state: true } };
  declare settings: Store<AlertSettings> | undefined;
  declare asking: boolean;
  readonly #settings = new StoreController(this, () => this.settings);

  constructor() {
    super();
    this.asking = false;
  }

  override render() {
    const settings = this.#settings.value;
    if (!settings) return nothing;
    return html`<div class="alerts" role="group" aria-label="Alerts for new decisions">
      ${this.#notifyControl(settings)}
      <label class="muted">
        Risk at least
        <select data-testid="alerts-min-risk" @change=${(e: Event) => this.#change({ minRisk: (e.target as HTMLSelectElement).value as Risk })}>
          ${riskOrder.map((risk) => html`<option value=${risk} ?selected=${risk === settings.minRisk}>${risk}</option>`)}
        </select>
      </label>
      <label class="muted">
        <input type="checkbox" data-testid="alerts-sound" .checked=${settings.sound} @change=${(e: Event) => this.#change({ sound: (e.target as HTMLInputElement).checked })} />
        Sound
      </label>
    </div>`;
  }

  #notifyControl(settings: AlertSettings) {
    if (typeof Notification === 'undefined') return html`<span class="muted" data-testid="alerts-blocked">This browser shows no notifications</span>`;
    if (Notification.permission === 'denied') return html`<span class="muted" data-testid="alerts-blocked">Notifications are blocked for this site in the browser's settings</span>`;
    const on = settings.notify && Notification.permission === 'granted';
    return html`<button data-testid="alerts-notify" aria-pressed=${String(on)} ?disabled=${this.asking} @click=${() => void this.#toggleNotify(on)}>
      ${on ? 'Notifications on' : 'Notify me'}
    </button>`;
  }

  async #toggleNotify(on: boolean): Promise<void> {
    if (on) return this.#change({ notify: false });
    this.asking = true;
    try {
      const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
      if (permission === 'granted') this.#change({ notify: true });
    } finally {
      this.asking = false;
    }
  }

  #change(change: Partial<AlertSettings>): void {
    this.settings?.update((settings) => ({ ...settings, ...change }));
  }
}

customElements.define('mc-alert-settings', McAlertSettings);
