import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Mission } from '../state/mission.ts';
import { OverviewFeed, type OverviewState } from '../state/overview.ts';

/** The overview of the mission its getter names, read while its element is on the page and kept current from the live stream. */
export class OverviewController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #mission: () => Mission | undefined;
  #followed: Mission | undefined;
  #feed: OverviewFeed | undefined;
  #stop: (() => void) | undefined;

  constructor(host: ReactiveControllerHost, mission: () => Mission | undefined) {
    this.#host = host;
    this.#mission = mission;
    host.addController(this);
  }

  get value(): OverviewState | undefined {
    return this.#feed?.state.value;
  }

  /** Reads the overview again now (a retry after a failed read). */
  refresh(): void {
    this.#feed?.refresh();
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    this.#follow();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#followed = undefined;
  }

  #follow(): void {
    const mission = this.#mission();
    if (mission === this.#followed) return;
    this.#stop?.();
    this.#followed = mission;
    if (!mission) return;
    const feed = new OverviewFeed({ read: () => mission.overview() });
    this.#feed = feed;
    const unsubscribe = feed.state.subscribe(() => this.#host.requestUpdate());
    const unfollow = feed.follow(mission.state);
    this.#stop = () => {
      unfollow();
      unsubscribe();
    };
  }
}
