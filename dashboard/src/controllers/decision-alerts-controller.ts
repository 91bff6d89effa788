import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type DashboardState, emptyState } from '../state/dashboard-state.ts';
import { type AlertSettings, type Announcement, announcements, newArrivals, pendingCount, tabTitle, unprimedWatch } from '../state/decision-alerts.ts';
import type { Store } from '../state/store.ts';
import { faviconHref } from '../elements/favicon.ts';
import { StoreController } from './store-controller.ts';

/**
 * Tells the operator that decisions wait, outside the inbox: the count in the tab's title and
 * favicon, and a desktop notification (and a beep, if asked) for each new one at or above the
 * chosen risk. The one place that touches `document.title`, the icon link, `Notification` and audio.
 */
export class DecisionAlertsController implements ReactiveController {
  readonly #state: StoreController<DashboardState>;
  readonly #settings: Store<AlertSettings>;
  #watch = unprimedWatch;
  #shownCount: number | undefined;
  #audio: AudioContext | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, state: () => Store<DashboardState> | undefined, settings: Store<AlertSettings>) {
    this.#state = new StoreController(host, state);
    this.#settings = settings;
    host.addController(this);
  }

  /** How many decisions are pending now. */
  get pending(): number {
    return pendingCount((this.#state.value ?? emptyState).decisions);
  }

  hostConnected(): void {
    let sound = this.#settings.value.sound;
    // Turning the sound on is a click, the user gesture browsers want before audio may start:
    // the beep it plays there lets the operator hear what they chose, and unlocks later beeps.
    this.#unsubscribe = this.#settings.subscribe((settings) => {
      if (settings.sound && !sound) this.#beep();
      sound = settings.sound;
    });
  }

  hostUpdated(): void {
    const state = this.#state.value ?? emptyState;
    this.#showCount(pendingCount(state.decisions));
    const { watch, arrived } = newArrivals(this.#watch, state);
    this.#watch = watch;
    if (arrived.length > 0) this.#announce(announcements(arrived, this.#settings.value, state));
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#showCount(0);
    this.#watch = unprimedWatch;
  }

  #showCount(count: number): void {
    if (count === this.#shownCount) return;
    this.#shownCount = count;
    document.title = tabTitle(count);
    let icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (!icon) {
      icon = document.createElement('link');
      icon.rel = 'icon';
      document.head.append(icon);
    }
    icon.type = 'image/svg+xml';
    icon.href = faviconHref(count);
  }

  #announce(due: readonly Announcement[]): void {
    const settings = this.#settings.value;
    if (due.length === 0) return;
    if (settings.notify && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      for (const { title, body, tag, route } of due) {
        const notification = new Notification(title, { body, tag });
        notification.onclick = () => {
          window.focus();
          location.hash = route;
          notification.close();
        };
      }
    }
    if (settings.sound) this.#beep();
  }

  /** A short two-tone chirp; silent where the page may not play audio yet. */
  #beep(): void {
    if (typeof AudioContext === 'undefined') return;
    this.#audio ??= new AudioContext();
    const audio = this.#audio;
    if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
    const gain = audio.createGain();
    gain.connect(audio.destination);
    const start = audio.currentTime;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
    const tone = audio.createOscillator();
    tone.type = 'sine';
    tone.frequency.setValueAtTime(880, start);
    tone.frequency.setValueAtTime(1320, start + 0.12);
    tone.connect(gain);
    tone.start(start);
    tone.stop(start + 0.32);
  }
}
