/** Where the hub gets the time, so timers can be tested without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock = { now: () => new Date() } satisfies Clock;
