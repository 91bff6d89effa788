import type { EventEnvelope } from '../../contracts/index.ts';
import type { Runner } from './model.ts';

/** The runner an event is about, or undefined (most events). */
export function runnerTouched(event: EventEnvelope): string | undefined {
  if (event.type !== 'runner.registered' && event.type !== 'runner.offline') return undefined;
  return event.data.runnerId as string;
}

/** Folds one event into a runner (undefined: not known yet); the same object when nothing changes. */
export function evolve(runner: Runner | undefined, event: EventEnvelope): Runner | undefined {
  const data = event.data;
  if (event.type === 'runner.registered') {
    return {
      id: data.runnerId as string,
      name: data.name as string,
      labels: data.labels as Record<string, string>,
      capacity: data.capacity as number,
      templates: data.templates as string[],
      status: 'online',
      registeredAt: new Date(event.recordedAt).toISOString(),
      lastSeq: event.seq,
    };
  }
  if (event.type === 'runner.offline' && runner !== undefined && runner.status !== 'offline') return { ...runner, status: 'offline', lastSeq: event.seq };
  return runner;
}
