import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HubClientError } from '../../server/client/errors.ts';
import type { PageQuery } from '../../server/client/pagination.ts';
import type { Brief, EventPage } from '../../server/client/views.ts';
import { BriefView, briefSince } from '../../dashboard/src/state/brief-view.ts';
import { EventSearch, OlderEvents, serverSelection, withOlder } from '../../dashboard/src/state/event-search.ts';
import { noFilter } from '../../dashboard/src/state/feed-filter.ts';
import { envelope } from '../helpers/dashboard-fakes.ts';

/** A log of `count` events, read newest first as the hub pages it, recording every query. */
function fakeLog(count: number) {
  const queries: PageQuery[] = [];
  const read = async (query: PageQuery): Promise<EventPage> => {
    queries.push(query);
    const below = query.before ?? count + 1;
    const seqs = Array.from({ length: below - 1 }, (_, i) => below - 1 - i).slice(0, query.limit ?? 100);
    const events = seqs.map((seq) => envelope(seq, seq % 2 === 0 ? 'x.even' : 'x.odd'));
    return { events, next: events.at(-1)?.seq ?? 0, head: count, logId: 'log' } as EventPage;
  };
  return { read, queries };
}

describe('the feed filter as a read of the log', () => {
  test('a type becomes a prefix the hub selects, agent and task go as they are', () => {
    assert.deepEqual(serverSelection({ type: 'decision.', agent: ' a ', task: 't' }), { query: { types: 'decision.*', agent: 'a', task: 't' }, local: noFilter });
    assert.deepEqual(serverSelection({ ...noFilter, type: 'agent.failed*' }).query, { types: 'agent.failed*' });
  });

  test('a type the hub cannot take stays a match in the browser', () => {
    assert.deepEqual(serverSelection({ ...noFilter, type: 'decision, agent' }), { query: {}, local: { ...noFilter, type: 'decision, agent' } });
  });
});

describe('searching the log', () => {
  test('reads newest first with the words and the filter, then pages below the last result', async () => {
    const log = fakeLog(250);
    const search = new EventSearch(log.read);
    await search.run(' needle ', { ...noFilter, type: 'x.' });
    assert.deepEqual(log.queries[0], { types: 'x.*', q: 'needle', order: 'desc', limit: 100 });
    assert.equal(search.state.value.events[0]?.seq, 250);
    await search.more();
    await search.more();
    assert.deepEqual(log.queries.map((q) => q.before), [undefined, 151, 51]);
    assert.equal(search.state.value.events.length, 250);
    assert.equal(search.state.value.next, undefined, 'the start of the log ends the paging');
  });

  test("a filter the hub cannot take is matched on the results", async () => {
    const search = new EventSearch(fakeLog(10).read);
    await search.run('w', { ...noFilter, type: 'x.even, ' });
    assert.equal(search.state.value.events.length, 0);
  });

  test("a refused search shows the hub's detail, and clearing returns to the live feed", async () => {
    const search = new EventSearch(() => Promise.reject(new HubClientError(400, 'validation_failed', '?q: must hold a word', 'bad')));
    await search.run('"', noFilter);
    assert.equal(search.state.value.error, '?q: must hold a word');
    search.clear();
    assert.deepEqual([search.state.value.q, search.state.value.error], ['', undefined]);
  });

  test('a later search wins over a slower earlier one', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const log = fakeLog(5);
    const search = new EventSearch(async (query) => {
      if (query.q === 'first') await slow;
      return log.read(query);
    });
    const first = search.run('first', noFilter);
    await search.run('second', noFilter);
    release();
    await first;
    assert.equal(search.state.value.q, 'second');
    assert.equal(search.state.value.events.length, 5);
  });
});

describe('scrolling back past the events in memory', () => {
  test('reads pages below the oldest shown and puts them first, oldest first', async () => {
    const log = fakeLog(1500);
    const older = new OlderEvents(log.read);
    await older.load(501);
    await older.load(501);
    assert.deepEqual(log.queries, [
      { order: 'desc', before: 501, limit: 200 },
      { order: 'desc', before: 301, limit: 200 },
    ]);
    assert.deepEqual([older.state.value.events[0]?.seq, older.state.value.events.at(-1)?.seq], [101, 500]);
    await older.load(501);
    assert.equal(older.state.value.events[0]?.seq, 1);
    assert.equal(older.more, false);
  });

  test('the older events go before the live ones without overlap', () => {
    const live = [envelope(5), envelope(6)];
    assert.equal(withOlder([], live), live);
    assert.deepEqual(withOlder([envelope(3), envelope(4), envelope(5)], live).map((e) => e.seq), [3, 4, 5, 6]);
  });
});

describe('the brief view', () => {
  test('its windows count back from now: 24 hours by default, 8 hours, 7 days', () => {
    const now = Date.UTC(2026, 0, 8);
    assert.equal(briefSince('24h', now).toISOString(), '2026-01-07T00:00:00.000Z');
    assert.equal(briefSince('8h', now).toISOString(), '2026-01-07T16:00:00.000Z');
    assert.equal(briefSince('7d', now).toISOString(), '2026-01-01T00:00:00.000Z');
  });

  test('reads the brief of the window chosen, or shows why it could not', async () => {
    const asked: string[] = [];
    const view = new BriefView(async (since) => {
      asked.push(since.toISOString());
      if (asked.length > 1) throw new HubClientError(400, 'validation_failed', 'since too far', 'bad');
      return { truncated: [] } as unknown as Brief;
    }, () => Date.UTC(2026, 0, 8));
    await view.load();
    assert.deepEqual(view.state.value.brief, { truncated: [] });
    await view.load('8h');
    assert.deepEqual(asked, ['2026-01-07T00:00:00.000Z', '2026-01-07T16:00:00.000Z']);
    assert.equal(view.state.value.error, 'since too far');
    assert.equal(view.state.value.window, '8h');
  });
});
