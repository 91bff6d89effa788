import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import type { EventEnvelope } from '../../contracts/index.ts';
import { loadContracts } from '../../contracts/index.ts';
import type { HubConfig } from '../../server/config.ts';
import { parseConfigFile } from '../../server/config-file.ts';
import type { Decision } from '../../server/decisions/model.ts';
import { decideResolve } from '../../server/decisions/rules.ts';
import { HubError } from '../../server/errors.ts';
import { type AnswerClaim, readClaim, signClaim } from '../../server/notifications/links.ts';
import { type NoticeInput, noticeKind, noticeOf, settledAs } from '../../server/notifications/notice.ts';
import {
  type Route,
  type RouteSubject,
  afterMs,
  contactPoints,
  escalates,
  eventRisk,
  knownPerson,
  noticeTypes,
  notificationsProblem,
  receiversOf,
  remindedSteps,
  routeFor,
} from '../../server/notifications/rules.ts';
import { decisionRow } from '../helpers/decision-rows.ts';

const now = new Date('2026-01-01T00:00:00.000Z');
const later = '2026-01-01T01:00:00.000Z';
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const catalog = ['agent.failed', 'agent.spawned', 'decision.requested', 'decision.resolved', 'heal.completed', 'heal.escalated'];

const people: HubConfig['people'] = {
  ann: { email: 'ann@example.com', slack: 'https://hooks.slack.com/services/T/B/ann' },
  bob: { ntfy: 'https://ntfy.sh/bob' },
  cy: {},
};

const step = (names: string[], channels: Route['notify'][number]['channels'], after?: string): Route['notify'][number] => ({
  people: names,
  channels,
  ...(after !== undefined ? { after } : {}),
});

const subject = (over: Partial<RouteSubject> = {}): RouteSubject => ({
  type: 'decision.requested',
  risk: 'medium',
  projectId: 'default',
  agent: { id: 'agt_1', name: 'builder', template: 'coder' },
  ...over,
});

const pending = (over: Partial<Decision> = {}): Decision => decisionRow({ expiresAt: later, ...over }, now);

const envelope = (type: string, data: Record<string, unknown> = {}, over: Partial<EventEnvelope> = {}): EventEnvelope => ({
  seq: 7,
  id: 'evt_1',
  type,
  actor: 'hub',
  decisionId: 'dec_1',
  recordedAt: now.toISOString(),
  data,
  ...over,
});

const answers = [
  { outcome: 'approve', url: 'https://mc.example.com/answer/a' },
  { outcome: 'deny', url: 'https://mc.example.com/answer/d' },
];

const input = (over: Partial<NoticeInput> = {}): NoticeInput => ({
  person: 'ann',
  event: envelope('decision.requested'),
  decision: pending(),
  agentName: 'builder',
  settledBy: undefined,
  publicUrl: 'https://mc.example.com',
  answers,
  ...over,
});

function refused(run: () => unknown, code: string, detail: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof HubError);
    assert.equal(error.code, code);
    assert.match(error.message, detail);
    return true;
  });
}

describe('people by name', () => {
  test('a person of the config file is known by their name', () => {
    assert.equal(knownPerson({ people }, 'bob'), 'bob');
  });

  test('an unknown person is a 400 listing the people the config file has, at the given path', () => {
    assert.throws(
      () => knownPerson({ people }, 'dan', '/body/person'),
      (error: unknown) => {
        assert.ok(error instanceof HubError);
        assert.equal(error.status, 400);
        assert.equal(error.code, 'validation_failed');
        assert.match(error.message, /no person "dan".*ann, bob, cy/);
        assert.deepEqual(error.errors, [{ path: '/body/person', message: 'must be one of: ann, bob, cy' }]);
        return true;
      },
    );
  });

  test('with no people configured, the refusal says to add them', () => {
    refused(() => knownPerson({ people: {} }, 'ann'), 'validation_failed', /lists no people.*add them under people/);
  });
});

describe('step durations', () => {
  test('an unset after is at once', () => {
    assert.equal(afterMs(undefined), 0);
  });

  test('seconds, minutes and hours become milliseconds', () => {
    assert.deepEqual([afterMs('90s'), afterMs('10m'), afterMs('2h')], [90_000, 600_000, 7_200_000]);
  });

  test('a duration that is not one is refused, quoting it', () => {
    assert.throws(() => afterMs('10 minutes'), /"10 minutes" is not a duration/);
    assert.throws(() => afterMs('1d'), /not a duration/);
  });
});

describe('checking people and routes at start', () => {
  const config = (routes: Route[], who: HubConfig['people'] = people) => ({ people: who, notifications: { routes } as HubConfig['notifications'] });

  test('a sound config has no problem', () => {
    const routes: Route[] = [
      { name: 'deploys', match: { types: ['decision.requested'] }, notify: [step(['ann'], ['email']), step(['ann'], ['slack'], '10m'), step(['bob'], ['ntfy'], '1h')] },
      { match: { types: ['heal.*', 'agent.failed'] }, notify: [step(['bob', 'cy'], ['ntfy'])] },
    ];
    assert.equal(notificationsProblem(config(routes), catalog, undefined), undefined);
  });

  test('a route step naming someone not in people is a problem naming the route, the step and the person', () => {
    const problem = notificationsProblem(config([{ name: 'ops', notify: [step(['ann'], ['email']), step(['dan'], ['email'], '5m')] }]), catalog, undefined);
    assert.match(problem ?? '', /notifications\.routes\[0\] \(ops\): notify\[1\] names "dan", who is not in people \(people: ann, bob, cy\)/);
  });

  test('an event type the catalog does not have is a problem', () => {
    const problem = notificationsProblem(config([{ match: { types: ['agent.exploded'] }, notify: [step(['ann'], ['email'])] }]), catalog, undefined);
    assert.match(problem ?? '', /notifications\.routes\[0\]: match\.types names "agent\.exploded", which is no event type/);
  });

  test('an area.* type needs some event of that area', () => {
    assert.equal(notificationsProblem(config([{ match: { types: ['heal.*'] }, notify: [step(['ann'], ['email'])] }]), catalog, undefined), undefined);
    assert.match(notificationsProblem(config([{ match: { types: ['runner.*'] }, notify: [step(['ann'], ['email'])] }]), catalog, undefined) ?? '', /"runner\.\*"/);
  });

  test('a step due sooner than the one before it is a problem', () => {
    const problem = notificationsProblem(config([{ notify: [step(['ann'], ['email'], '1h'), step(['bob'], ['ntfy'], '10m')] }]), catalog, undefined);
    assert.match(problem ?? '', /notify\[1\] comes after 10m, sooner than the step before it/);
  });

  test('a later step without after comes sooner than a delayed one before it', () => {
    const problem = notificationsProblem(config([{ notify: [step(['ann'], ['email'], '10m'), step(['bob'], ['ntfy'])] }]), catalog, undefined);
    assert.match(problem ?? '', /notify\[1\] comes after nothing, sooner/);
  });

  test('two steps due at the same time are in order', () => {
    assert.equal(notificationsProblem(config([{ notify: [step(['ann'], ['email'], '10m'), step(['bob'], ['ntfy'], '10m')] }]), catalog, undefined), undefined);
  });

  test('a step none of whose people has any of its channels reaches no one: a problem', () => {
    const problem = notificationsProblem(config([{ notify: [step(['bob', 'cy'], ['email', 'slack'])] }]), catalog, undefined);
    assert.match(problem ?? '', /notify\[0\] can reach no one: none of bob, cy has a contact point for email or slack/);
  });

  test('a person with a webhook contact point needs the webhook secret', () => {
    const withHook = { ...people, dee: { webhook: 'https://hooks.example.com/dee' } };
    assert.match(notificationsProblem(config([], withHook), catalog, undefined) ?? '', /people\.dee\.webhook needs MC_NOTIFY_WEBHOOK_SECRET/);
    assert.equal(notificationsProblem(config([], withHook), catalog, secret), undefined);
  });

  test('a malformed webhook secret is a problem, even when no one has a webhook', () => {
    assert.match(notificationsProblem(config([]), catalog, 'not-a-secret') ?? '', /^MC_NOTIFY_WEBHOOK_SECRET: .*whsec_<base64>/);
    assert.match(notificationsProblem(config([]), catalog, 'whsec_c2hvcnQ=') ?? '', /^MC_NOTIFY_WEBHOOK_SECRET: .*16 bytes/);
  });
});

describe('how loud an event is', () => {
  test('failures and escalations are high', () => {
    assert.deepEqual(['agent.failed', 'heal.escalated', 'budget.exceeded', 'hub.loop_detected'].map(eventRisk), ['high', 'high', 'high', 'high']);
  });

  test('other events are medium', () => {
    assert.deepEqual(['agent.spawned', 'heal.completed', 'task.created'].map(eventRisk), ['medium', 'medium', 'medium']);
  });
});

describe('routing', () => {
  const tell = step(['ann'], ['email']);

  test('the first route that matches wins, with its index', () => {
    const routes: Route[] = [{ name: 'red', match: { risk: ['red'] }, notify: [tell] }, { name: 'any', notify: [tell] }, { name: 'also', notify: [tell] }];
    const routed = routeFor(routes, subject());
    assert.equal(routed?.index, 1);
    assert.equal(routed?.route.name, 'any');
  });

  test('no route matching tells no one', () => {
    assert.equal(routeFor([{ match: { risk: ['red'] }, notify: [tell] }], subject()), undefined);
    assert.equal(routeFor([], subject()), undefined);
  });

  test('a route without types is about decision.requested only', () => {
    const routes: Route[] = [{ notify: [tell] }];
    assert.notEqual(routeFor(routes, subject()), undefined);
    assert.equal(routeFor(routes, subject({ type: 'agent.failed' })), undefined);
    assert.equal(routeFor(routes, subject({ type: 'decision.resolved' })), undefined);
  });

  test('area.* matches every type of the area and no other area', () => {
    const routes: Route[] = [{ match: { types: ['heal.*'] }, notify: [tell] }];
    assert.notEqual(routeFor(routes, subject({ type: 'heal.escalated' })), undefined);
    assert.equal(routeFor(routes, subject({ type: 'healer.started' })), undefined);
    assert.equal(routeFor(routes, subject({ type: 'agent.failed' })), undefined);
  });

  test('an exact type matches only itself', () => {
    const routes: Route[] = [{ match: { types: ['agent.failed'] }, notify: [tell] }];
    assert.notEqual(routeFor(routes, subject({ type: 'agent.failed' })), undefined);
    assert.equal(routeFor(routes, subject({ type: 'agent.failed_twice' })), undefined);
  });

  test('risk matches when it is one of those listed', () => {
    const routes: Route[] = [{ match: { risk: ['high', 'red'] }, notify: [tell] }];
    assert.notEqual(routeFor(routes, subject({ risk: 'red' })), undefined);
    assert.equal(routeFor(routes, subject({ risk: 'medium' })), undefined);
  });

  test('project matches by id', () => {
    const routes: Route[] = [{ match: { project: 'shop' }, notify: [tell] }];
    assert.notEqual(routeFor(routes, subject({ projectId: 'shop' })), undefined);
    assert.equal(routeFor(routes, subject({ projectId: 'default' })), undefined);
    assert.equal(routeFor(routes, subject({ projectId: undefined })), undefined);
  });

  test('agent matches by id or by name', () => {
    assert.notEqual(routeFor([{ match: { agent: 'agt_1' }, notify: [tell] }], subject()), undefined);
    assert.notEqual(routeFor([{ match: { agent: 'builder' }, notify: [tell] }], subject()), undefined);
    assert.equal(routeFor([{ match: { agent: 'reviewer' }, notify: [tell] }], subject()), undefined);
  });

  test('an agent route does not match an event with no agent', () => {
    assert.equal(routeFor([{ match: { agent: 'builder' }, notify: [tell] }], subject({ agent: undefined })), undefined);
  });

  test('template matches the template the agent was spawned from', () => {
    const routes: Route[] = [{ match: { template: 'coder' }, notify: [tell] }];
    assert.notEqual(routeFor(routes, subject()), undefined);
    assert.equal(routeFor(routes, subject({ agent: { id: 'agt_2', name: 'x', template: 'reviewer' } })), undefined);
    assert.equal(routeFor(routes, subject({ agent: undefined })), undefined);
  });

  test('every field of a match must hold', () => {
    const routes: Route[] = [{ match: { risk: ['red'], project: 'shop' }, notify: [tell] }];
    assert.equal(routeFor(routes, subject({ risk: 'red', projectId: 'default' })), undefined);
    assert.notEqual(routeFor(routes, subject({ risk: 'red', projectId: 'shop' })), undefined);
  });
});

describe('who a step reaches', () => {
  test('each of its people on each of its channels they have', () => {
    assert.deepEqual(receiversOf(step(['ann', 'bob', 'cy'], ['email', 'ntfy', 'slack']), people), [
      { person: 'ann', channel: 'email' },
      { person: 'ann', channel: 'slack' },
      { person: 'bob', channel: 'ntfy' },
    ]);
  });

  test('a person not in people is reached on nothing', () => {
    assert.deepEqual(receiversOf(step(['dan'], ['email']), people), []);
  });

  test('a later step telling only the same people is a reminder; one telling someone new escalates', () => {
    const route: Route = { notify: [step(['ann'], ['email']), step(['ann'], ['slack'], '10m'), step(['ann', 'bob'], ['ntfy'], '1h')] };
    assert.equal(escalates(route, 1), false);
    assert.equal(escalates(route, 2), true);
  });

  test('a decision.reminded sends every step but a first one due at once', () => {
    assert.deepEqual(remindedSteps({ notify: [step(['ann'], ['email']), step(['ann'], ['email'], '10m'), step(['bob'], ['ntfy'], '1h')] }), [1, 2]);
    assert.deepEqual(remindedSteps({ notify: [step(['ann'], ['email'], '5m'), step(['bob'], ['ntfy'], '1h')] }), [0, 1]);
    assert.deepEqual(remindedSteps({ notify: [step(['ann'], ['email'], '0s')] }), []);
    assert.deepEqual(remindedSteps({ notify: [] }), []);
  });

  test('every contact point of the people, email as mailto:, with a stable id', () => {
    assert.deepEqual(contactPoints(people), [
      { id: 'cp_ann.email', url: 'mailto:ann@example.com', person: 'ann', channel: 'email' },
      { id: 'cp_ann.slack', url: 'https://hooks.slack.com/services/T/B/ann', person: 'ann', channel: 'slack' },
      { id: 'cp_bob.ntfy', url: 'https://ntfy.sh/bob', person: 'bob', channel: 'ntfy' },
    ]);
  });

  test('the types sent to contact points: the decision notices and every routed type, once each', () => {
    const types = noticeTypes([{ match: { types: ['agent.failed', 'decision.requested'] }, notify: [] }, { match: { types: ['heal.*', 'agent.failed'] }, notify: [] }, { notify: [] }]);
    assert.deepEqual(types, ['decision.requested', 'decision.reminded', 'decision.resolved', 'decision.expired', 'decision.cancelled', 'agent.failed', 'heal.*']);
  });
});

describe('one-tap answer links', () => {
  const key = Buffer.alloc(32, 1);
  const claim: AnswerClaim = { decisionId: 'dec_1', person: 'ann', outcome: 'approve', nonce: 'dlv_1.approve', expiresAt: 1_767_229_200 };
  const link = signClaim(key, claim);
  const [payload, signature] = link.split('.') as [string, string];

  test('a signed link reads back as its claim', () => {
    assert.deepEqual(readClaim(key, link), claim);
  });

  test('a link is the claim in base64url, a dot, and a 43-character signature', () => {
    assert.match(link, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  test('a changed payload is refused', () => {
    const other = Buffer.from(JSON.stringify(['dec_1', 'ann', 'deny', 'dlv_1.approve', claim.expiresAt])).toString('base64url');
    assert.equal(readClaim(key, `${other}.${signature}`), undefined);
  });

  test('a changed signature is refused', () => {
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    assert.equal(readClaim(key, `${payload}.${flipped}`), undefined);
  });

  test('a link signed with another key is refused', () => {
    assert.equal(readClaim(Buffer.alloc(32, 2), link), undefined);
  });

  test('a truncated link is refused', () => {
    assert.equal(readClaim(key, link.slice(0, -1)), undefined);
    assert.equal(readClaim(key, payload), undefined);
  });

  test('garbage is refused', () => {
    for (const junk of ['', '.', 'hello', `${payload}.${signature}.x`, `%%%.${signature}`]) assert.equal(readClaim(key, junk), undefined, junk);
  });

  test('a link for the longest answer a decision may offer reads back', () => {
    const outcome = '\u{1F680}'.repeat(200);
    const long: AnswerClaim = { ...claim, outcome, nonce: `dlv_0123456789abcdef.${outcome}` };
    assert.deepEqual(readClaim(key, signClaim(key, long)), long);
  });

  test('a correctly signed payload that is not a claim is refused', () => {
    // Signed as the hub signs (HMAC-SHA256 of "answer-link.<payload>"), so only the content can refuse it.
    const signedAsHub = (json: string) => {
      const forged = Buffer.from(json).toString('base64url');
      return `${forged}.${createHmac('sha256', key).update(`answer-link.${forged}`).digest('base64url')}`;
    };
    assert.deepEqual(readClaim(key, signedAsHub(JSON.stringify(['dec_1', 'ann', 'approve', 'n', 1]))), { decisionId: 'dec_1', person: 'ann', outcome: 'approve', nonce: 'n', expiresAt: 1 });
    for (const json of ['{"a":1}', 'null', '7', '"abc"', '["dec_1","ann","approve","n","soon"]', '["dec_1","ann","approve"]', 'not json']) {
      assert.equal(readClaim(key, signedAsHub(json)), undefined, json);
    }
  });
});

describe('what a notice says', () => {
  test('each event type has its kind of notice', () => {
    const kinds = [
      noticeKind(envelope('decision.requested')),
      noticeKind(envelope('decision.reminded', { escalation: false })),
      noticeKind(envelope('decision.reminded', { escalation: true })),
      noticeKind(envelope('decision.resolved')),
      noticeKind(envelope('decision.expired')),
      noticeKind(envelope('decision.cancelled')),
      noticeKind(envelope('decision.approved_once')),
      noticeKind(envelope('agent.failed')),
    ];
    assert.deepEqual(kinds, ['ask', 'reminder', 'escalation', 'settled', 'settled', 'settled', 'event', 'event']);
  });

  test('a question asks with its title, context, asker, deadline and answers, and links to its inbox page', () => {
    const notice = noticeOf(input());
    assert.equal(notice.kind, 'ask');
    assert.equal(notice.person, 'ann');
    assert.equal(notice.title, 'Deploy to production?');
    assert.equal(notice.text, 'all tests pass\n\nAsked by builder in default.');
    assert.equal(notice.risk, 'medium');
    assert.equal(notice.deadline, later);
    assert.deepEqual(notice.answers, answers);
    assert.equal(notice.decisionId, 'dec_1');
    assert.equal(notice.page, 'https://mc.example.com/#/inbox/dec_1');
  });

  test('a question no agent asked names only its project, and an empty context leaves no blank lines', () => {
    assert.equal(noticeOf(input({ agentName: undefined, decision: pending({ context: '', projectId: 'shop' }) })).text, 'Asked in shop.');
  });

  test('a reminder is titled "Still waiting: "', () => {
    assert.equal(noticeOf(input({ event: envelope('decision.reminded', { escalation: false }) })).title, 'Still waiting: Deploy to production?');
  });

  test('an escalation is titled "Escalated: "', () => {
    const notice = noticeOf(input({ event: envelope('decision.reminded', { escalation: true }) }));
    assert.equal(notice.kind, 'escalation');
    assert.equal(notice.title, 'Escalated: Deploy to production?');
  });

  test('a red question says two different people must approve, and the asker may not', () => {
    assert.match(noticeOf(input({ decision: pending({ risk: 'red' }) })).text, /Red: two different people must approve; the asker may not\./);
    assert.doesNotMatch(noticeOf(input({ decision: pending({ risk: 'high' }) })).text, /two different people/);
  });

  test('the approvals so far are shown by person, else by actor', () => {
    const approvals = [
      { by: 'operator:tok_a', person: 'ann', at: now.toISOString() },
      { by: 'operator:tok_b', at: now.toISOString() },
    ];
    assert.match(noticeOf(input({ decision: pending({ risk: 'red', approvals }) })).text, /Approved so far by ann, operator:tok_b\.$/);
    assert.doesNotMatch(noticeOf(input()).text, /Approved so far/);
  });

  test('a question no longer pending offers no answers and no deadline, and shows no approvals', () => {
    const settled = pending({ status: 'resolved', outcome: 'approve', resolvedBy: 'operator:tok_b', approvals: [{ by: 'operator:tok_a', person: 'ann', at: now.toISOString() }] });
    const notice = noticeOf(input({ event: envelope('decision.reminded', { escalation: false }), decision: settled }));
    assert.deepEqual(notice.answers, []);
    assert.equal(notice.deadline, undefined);
    assert.doesNotMatch(notice.text, /Approved so far/);
  });

  test('a settled question says how and by whom, with no answers or deadline', () => {
    const resolved = pending({ status: 'resolved', outcome: 'approve', resolvedBy: 'operator:tok_a', comment: 'ship it' });
    const notice = noticeOf(input({ event: envelope('decision.resolved'), decision: resolved, settledBy: 'ann' }));
    assert.equal(notice.kind, 'settled');
    assert.equal(notice.title, 'Settled: Deploy to production?');
    assert.equal(notice.text, 'Deploy to production?\n\napproved by ann: ship it.');
    assert.deepEqual(notice.answers, []);
    assert.equal(notice.deadline, undefined);
    assert.equal(notice.page, 'https://mc.example.com/#/inbox/dec_1');
  });

  test('how a question settled, in words', () => {
    const at = (over: Partial<Decision>) => pending({ status: 'resolved', resolvedBy: 'operator:tok_a', ...over });
    assert.equal(settledAs(at({ outcome: 'deny' }), undefined), 'denied by operator:tok_a');
    assert.equal(settledAs(at({ outcome: 'retry' }), 'bob'), 'answered "retry" by bob');
    assert.equal(settledAs(pending({ status: 'expired', outcome: 'deny' }), undefined), 'expired unanswered; "deny" applied');
    assert.equal(settledAs(pending({ status: 'cancelled', resolvedBy: 'agent:agt_1', comment: 'the agent exited' }), undefined), 'withdrawn by agent:agt_1: the agent exited');
  });

  test('another event is titled by its type and who, shown as data, as loud as its type, linking to the feed', () => {
    const event = envelope('agent.failed', { code: 1 }, { decisionId: undefined, agentId: 'agt_1', actor: 'runner:r1' });
    const notice = noticeOf(input({ event, decision: undefined, agentName: 'builder' }));
    assert.equal(notice.kind, 'event');
    assert.equal(notice.title, 'agent.failed: builder');
    assert.equal(notice.text, JSON.stringify({ code: 1 }, null, 2));
    assert.equal(notice.risk, 'high');
    assert.equal(notice.page, 'https://mc.example.com/#/feed');
    assert.equal(notice.decisionId, undefined);
    assert.equal(notice.deadline, undefined);
    assert.deepEqual(notice.answers, []);
  });

  test('another event without a known agent name is titled by its agent id, else its actor', () => {
    const withAgent = envelope('heal.completed', {}, { decisionId: undefined, agentId: 'agt_9', actor: 'healer' });
    const withoutAgent = envelope('heal.completed', {}, { decisionId: undefined, actor: 'healer' });
    assert.equal(noticeOf(input({ event: withAgent, decision: undefined, agentName: undefined })).title, 'heal.completed: agt_9');
    assert.equal(noticeOf(input({ event: withoutAgent, decision: undefined, agentName: undefined })).title, 'heal.completed: healer');
  });

  test('without a public URL a notice links to no page', () => {
    assert.equal(noticeOf(input({ publicUrl: undefined })).page, undefined);
  });
});

describe('the config file: people and notifications', () => {
  const parse = (yaml: string) => parseConfigFile(loadContracts(), yaml, 'mc.yaml');

  test('a good five-line config parses', () => {
    const yaml = [
      'people:',
      '  ann: { email: ann@example.com, slack: "https://hooks.slack.com/services/T/B/x" }',
      'notifications:',
      '  routes:',
      '    - notify: [{ people: [ann], channels: [email, slack], after: 10m }]',
    ].join('\n');
    const parsed = parse(yaml);
    assert.deepEqual(parsed.people, { ann: { email: 'ann@example.com', slack: 'https://hooks.slack.com/services/T/B/x' } });
    assert.deepEqual(parsed.notifications?.routes, [{ notify: [{ people: ['ann'], channels: ['email', 'slack'], after: '10m' }] }]);
  });

  for (const channel of ['slack', 'ntfy', 'webhook'] as const) {
    for (const url of ['ftp://x', 'javascript:alert(1)']) {
      test(`a ${channel} contact point that is ${url} is refused, naming the field`, () => {
        assert.throws(() => parse(`people: { ann: { ${channel}: "${url}" } }`), new RegExp(`^Error: mc\\.yaml: /people/ann/${channel} `));
      });
    }
  }

  for (const email of ['ann', 'ann@', 'a b@c.d']) {
    test(`an email of "${email}" is refused, naming the field`, () => {
      assert.throws(() => parse(`people: { ann: { email: "${email}" } }`), /mc\.yaml: \/people\/ann\/email /);
    });
  }

  test('a person name that is not lower-case letters, digits and _.- is refused, naming people', () => {
    assert.throws(() => parse('people: { Ann: { email: ann@example.com } }'), /mc\.yaml: \/people .*property name/);
    assert.throws(() => parse('people: { "ann smith": { email: ann@example.com } }'), /\/people /);
  });

  test('a step duration that is not one is refused, naming the field', () => {
    assert.throws(() => parse('notifications: { routes: [ { notify: [ { people: [ann], channels: [email], after: "10 minutes" } ] } ] }'), /\/notifications\/routes\/0\/notify\/0\/after /);
  });

  test('an unknown channel is refused, naming the field and the channels there are', () => {
    assert.throws(() => parse('notifications: { routes: [ { notify: [ { people: [ann], channels: [sms] } ] } ] }'), /\/notifications\/routes\/0\/notify\/0\/channels\/0 must be one of: email, slack, ntfy, webhook/);
  });
});

describe('red decisions answered by people', () => {
  const red = (over: Partial<Decision> = {}) => pending({ risk: 'red', ...over });
  const approvedByAnn = red({ approvals: [{ by: 'operator:tok_a', person: 'ann', at: now.toISOString() }] });

  test('the first approval carries the person behind it', () => {
    assert.deepEqual(decideResolve(red(), { outcome: 'approve', by: 'operator:tok_a', person: 'ann' }, now), [
      { type: 'decision.approved_once', decisionId: 'dec_1', data: { by: 'operator:tok_a', person: 'ann' } },
    ]);
  });

  test("a person's second approval through another token or link counts once: no events", () => {
    assert.deepEqual(decideResolve(approvedByAnn, { outcome: 'approve', by: 'person:ann', person: 'ann' }, now), []);
    assert.deepEqual(decideResolve(approvedByAnn, { outcome: 'approve', by: 'operator:tok_c', person: 'ann' }, now), []);
  });

  test('two different people resolve it', () => {
    assert.deepEqual(decideResolve(approvedByAnn, { outcome: 'approve', by: 'person:bob', person: 'bob' }, now), [
      { type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'approve', by: 'person:bob', person: 'bob' } },
    ]);
  });

  test('the person who asked cannot approve, through any of their tokens: 403', () => {
    const asked = red({ requestedBy: 'operator:tok_a' });
    refused(() => decideResolve(asked, { outcome: 'approve', by: 'person:ann', person: 'ann' }, now, 'ann'), 'forbidden', /ann asked decision dec_1.*two other people/);
    refused(() => decideResolve(approvedByAnn, { outcome: 'approve', by: 'operator:tok_z', person: 'bob' }, now, 'bob'), 'forbidden', /bob asked/);
  });

  test('the person who asked may still deny it', () => {
    const changes = decideResolve(red({ requestedBy: 'operator:tok_a' }), { outcome: 'deny', by: 'person:ann', person: 'ann' }, now, 'ann');
    assert.deepEqual(changes, [{ type: 'decision.resolved', decisionId: 'dec_1', data: { outcome: 'deny', by: 'person:ann', person: 'ann' } }]);
  });

  test('an answer with no person is not taken for the asker person', () => {
    assert.deepEqual(decideResolve(red(), { outcome: 'approve', by: 'operator:tok_b' }, now, 'ann').map((c) => c.type), ['decision.approved_once']);
  });
});
