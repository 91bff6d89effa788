import type { Clock } from '../../server/clock.ts';

/** A clock the test moves by hand, for timers. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start = new Date('2026-01-01T00:00:00Z')) {
    this.current = start;
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
