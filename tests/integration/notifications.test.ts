import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { ConfigOverrides } from '../../server/config.ts';
import { signClaim } from '../../server/notifications/links.ts';
import { answerLinkKey } from '../../server/notifications/store.ts';
import { webhookKey, webhookRefusal } from '../../server/webhooks/signature.ts';
import { registeredAgent } from '../helpers/agents.ts';
import { type TestDatabase, testDatabase } from '../helpers/database.ts';
import { ask, call, eventTypes, resolve } from '../helpers/decisions.ts';
import { type TestHub, bearer, testHub, testNotifySecrets } from '../helpers/hub.ts';
import { assertProblem } from '../helpers/problem.ts';
import { type HttpReceiver, type Mail, deadPort, mimeParts, receiver, smtpServer } from '../helpers/receivers.ts';
import { until } from '../helpers/until.ts';

/** Where each person is reached: ann by mail and Slack, bob by mail and his own webhook, lead by ntfy. */
interface Inboxes {
  mails: Mail[];
  slack: HttpReceiver;
  bobHook: HttpReceiver;
  ntfy: HttpReceiver;
  config: ConfigOverrides;
}

async function inboxes(): Promise<Inboxes> {
  const smtp = await smtpServer({ password: testNotifySecrets.smtpPassword });
  const slack = await receiver();
  const bobHook = await receiver();
  const ntfy = await receiver();
  const config: ConfigOverrides = {
    people: {
      ann: { email: 'ann@example.org', slack: slack.url },
      bob: { email: 'bob@example.org', webhook: bobHook.url },
      lead: { ntfy: ntfy.url },
    },
    notifications: {
      publicUrl: 'http://mc.example.test',
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'hub', from: 'Mission Control <mc@example.org>' },
      routes: [
        { name: 'red', match: { risk: ['red'] }, notify: [{ people: ['ann', 'bob'], channels: ['email', 'slack', 'webhook'] }], followUp: true },
        {
          name: 'high',
          match: { risk: ['high'] },
          notify: [
            { people: ['ann'], channels: ['slack'] },
            { after: '1s', people: ['ann'], channels: ['slack'] },
            { after: '2s', people: ['lead'], channels: ['ntfy'] },
          ],
          followUp: true,
        },
        { name: 'failures', match: { types: ['agent.failed'] }, notify: [{ people: ['lead'], channels: ['ntfy'] }] },
        { name: 'quiet', match: { risk: ['low', 'medium'] }, notify: [] },
      ],
    },
    timers: { tickMs: 100 },
    webhooks: { pollMs: 50, maxBackoffMs: 200, timeoutMs: 5000 },
  };
  return { mails: smtp.mails, slack: slack.receiver, bobHook: bobHook.receiver, ntfy: ntfy.receiver, config };
}

/** The mails to `to` about a decision, decoded: subject and the plain part. */
function mailsTo(mails: Mail[], to: string, decisionId: string): Array<{ subject: string; text: string; html: string }> {
  return mails
    .filter((m) => m.to.includes(to))
    .map((m) => {
      const parts = mimeParts(m.raw);
      return { subject: /^Subject: (.*)$/m.exec(m.raw)?.[1] ?? '', text: parts.get('text/plain') ?? '', html: parts.get('text/html') ?? '' };
    })
    .filter((m) => m.text.includes(decisionId) || m.html.includes(decisionId));
}

/** The one-tap link for `outcome` in a text: the hub's public URL, `/answer/`, and the signed claim. */
function linkIn(text: string, outcome: string): string {
  const links = [...text.matchAll(/http:\/\/mc\.example\.test\/answer\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43})/g)].map((m) => m[1]!);
  const found = links.find((link) => JSON.parse(Buffer.from(link.split('.')[0]!, 'base64url').toString())[2] === outcome);
  assert.ok(found, `no ${outcome} link in: ${text.slice(0, 500)}`);
  return found;
}

/** Opens a link's page (GET) or confirms it (POST), on the test hub instead of the public URL. */
async function openLink(hub: TestHub, link: string, method: 'GET' | 'POST' = 'GET', comment?: string) {
  const res = await fetch(`${hub.url}/answer/${link}`, {
    method,
    ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(comment ? { comment } : {}).toString() } : {}),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** The JSON bodies a receiver took that are about `decisionId`. */
function takenAbout(r: HttpReceiver, decisionId: string): Array<{ body: any; headers: any }> {
  return r.taken.filter((t) => t.body.includes(decisionId) || JSON.stringify(t.headers).includes(decisionId)).map((t) => ({ body: t.headers['content-type']?.includes('json') ? JSON.parse(t.body) : t.body, headers: t.headers }));
}

describe('notifications: people told on their channels, and answering by link', () => {
  let database: TestDatabase;
  let hub: TestHub;
  let boxes: Inboxes;
  before(async () => {
    boxes = await inboxes();
    database = await testDatabase();
    hub = await testHub(database.url, boxes.config);
  });
  after(async () => {
    await hub?.close();
    await database?.drop();
  });

  test('a red decision reaches ann and bob on their channels; each answers by link, and the asking agent resumes', async () => {
    const agent = await registeredAgent(hub, 'builder-1', { name: 'builder' });
    const asked = await ask(hub, { title: 'Drop the orders table?', context: 'DROP TABLE orders; -- <all> of it', risk: 'red' }, agent);
    const waiting = call(hub, 'GET', `/decisions/${asked.id}/wait?timeout=60`, undefined, agent);

    const annMail = await until("ann's mail", () => mailsTo(boxes.mails, 'ann@example.org', asked.id)[0]);
    const bobMail = await until("bob's mail", () => mailsTo(boxes.mails, 'bob@example.org', asked.id)[0]);
    const annSlack = await until("ann's Slack message", () => takenAbout(boxes.slack, asked.id)[0]);
    const bobHook = await until("bob's webhook", () => takenAbout(boxes.bobHook, asked.id)[0]);
    assert.match(annMail.subject, /red/i);
    assert.match(annMail.text, /Drop the orders table\?/);
    assert.match(annMail.html, /DROP TABLE orders; -- &lt;all&gt; of it|DROP TABLE orders; -- &#60;all&#62; of it/);
    assert.equal(annSlack.body.blocks.find((b: any) => b.type === 'actions').elements.length >= 2, true);
    // bob's webhook is signed with the notifications secret, and says who it is for and how to answer.
    const headers = { id: bobHook.headers['webhook-id'], timestamp: bobHook.headers['webhook-timestamp'], signature: bobHook.headers['webhook-signature'] };
    assert.equal(webhookRefusal(webhookKey(testNotifySecrets.webhook), headers, JSON.stringify(bobHook.body), Math.floor(Date.now() / 1000)), undefined);
    assert.equal(bobHook.body.type, 'decision.requested');
    assert.equal(bobHook.body.notification.person, 'bob');
    assert.equal(bobHook.body.notification.kind, 'ask');
    // No token, no secret in any link or message.
    for (const text of [annMail.text, annMail.html, bobMail.text, JSON.stringify(annSlack.body), JSON.stringify(bobHook.body)]) {
      assert.ok(!text.includes(hub.adminToken) && !text.includes('mc_'), 'a message holds a token');
    }

    // Opening the page answers nothing: link scanners and previews only GET.
    const annApprove = linkIn(annMail.text, 'approve');
    const page = await openLink(hub, annApprove);
    assert.equal(page.status, 200);
    assert.match(page.text, /Drop the orders table\?/);
    assert.match(page.text, /Approve as ann/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.deepEqual(await eventTypes(hub, asked.id), ['decision.requested']);

    const first = await openLink(hub, annApprove, 'POST', 'looked at it');
    assert.equal(first.status, 200, first.text);
    assert.match(first.text, /one more approval/);
    assert.equal((await call(hub, 'GET', `/decisions/${asked.id}`)).body.status, 'pending');

    // bob answers from his webhook's link: the second person, so the decision is approved.
    const bobApprove = bobHook.body.notification.answers.find((a: any) => a.outcome === 'approve').url.replace('http://mc.example.test/answer/', '');
    const second = await openLink(hub, bobApprove, 'POST');
    assert.equal(second.status, 200, second.text);
    assert.match(second.text, /Answered: Approve/);

    const resumed = await waiting;
    assert.equal(resumed.status, 200, resumed.text);
    assert.equal(resumed.body.outcome, 'approve');
    const decision = (await call(hub, 'GET', `/decisions/${asked.id}`)).body;
    assert.deepEqual(decision.approvals.map((a: any) => [a.by, a.person]), [
      ['person:ann', 'ann'],
      ['person:bob', 'bob'],
    ]);
    assert.equal(decision.resolvedBy, 'person:bob');
    const actors = await call(hub, 'GET', '/actors?ids=person:ann,person:bob');
    assert.deepEqual(actors.body.actors.map((a: any) => [a.actor, a.name, a.role]), [
      ['person:ann', 'ann', 'person'],
      ['person:bob', 'bob', 'person'],
    ]);
    assert.equal(decision.comment, null);

    // The same link again, and ann's deny link now: each a page saying why, and nothing changes.
    const replay = await openLink(hub, annApprove, 'POST');
    assert.equal(replay.status, 410);
    assert.match(replay.text, /used already/);
    const late = await openLink(hub, linkIn(annMail.text, 'deny'), 'POST');
    assert.equal(late.status, 409);
    assert.match(late.text, /settled/);
    assert.deepEqual(await eventTypes(hub, asked.id), ['decision.requested', 'decision.approved_once', 'decision.resolved']);

    // The route asks for a follow-up: those told are told who settled it, on the channels they were told on.
    await until('the follow-up to ann on Slack', () => takenAbout(boxes.slack, asked.id).find((t) => JSON.stringify(t.body).includes('Settled')));
    const followUp = await until('the follow-up mail to ann', () => mailsTo(boxes.mails, 'ann@example.org', asked.id).find((m) => /Settled/.test(m.subject)));
    assert.match(followUp.text, /approved by bob/);
  });

  test('a forged, tampered or foreign link is a page that says which, and answers nothing', async () => {
    const asked = await ask(hub, { title: 'Restart the cache?', risk: 'red' });
    const mail = await until("ann's mail", () => mailsTo(boxes.mails, 'ann@example.org', asked.id)[0]);
    const link = linkIn(mail.text, 'approve');
    const [payload, signature] = link.split('.') as [string, string];
    const tampered = Buffer.from(payload, 'base64url').toString().replace('"ann"', '"bob"');
    for (const bad of [`${Buffer.from(tampered).toString('base64url')}.${signature}`, `${payload}.${'A'.repeat(43)}`, 'nonsense', `${payload}.`]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await openLink(hub, bad, method);
        assert.ok(res.status === 400 || res.status === 404, `${method} ${bad.slice(0, 20)}: ${res.status}`);
        assert.match(res.text, /not valid|Not Found|not found/i);
      }
    }
    // Signed by this hub, but for a question it does not have, or a person it no longer has.
    const key = await answerLinkKey(hub.db);
    const foreign = signClaim(key, { decisionId: 'dec_nothere', person: 'ann', outcome: 'approve', nonce: 'n1', expiresAt: Math.floor(Date.now() / 1000) + 600 });
    const stranger = signClaim(key, { decisionId: asked.id, person: 'mallory', outcome: 'approve', nonce: 'n2', expiresAt: Math.floor(Date.now() / 1000) + 600 });
    for (const link of [foreign, stranger]) {
      const res = await openLink(hub, link, 'POST');
      assert.equal(res.status, 404);
      assert.match(res.text, /not for this hub/);
    }
    const expired = signClaim(key, { decisionId: asked.id, person: 'ann', outcome: 'approve', nonce: 'n3', expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const res = await openLink(hub, expired, 'POST');
    assert.equal(res.status, 410);
    assert.match(res.text, /expired/);
    assert.deepEqual(await eventTypes(hub, asked.id), ['decision.requested']);
  });

  test("the asker's own person cannot approve a red decision by link; a person approving twice counts once", async () => {
    const annToken = (await call(hub, 'POST', '/tokens', { role: 'operator', person: 'ann' }, bearer(hub.adminToken))).body.token;
    const asked = await ask(hub, { title: 'Rotate the keys?', risk: 'red' }, bearer(annToken));
    const mail = await until("ann's mail", () => mailsTo(boxes.mails, 'ann@example.org', asked.id)[0]);
    const refused = await openLink(hub, linkIn(mail.text, 'approve'), 'POST');
    assert.equal(refused.status, 403);
    assert.match(refused.text, /not taken/);

    const other = await ask(hub, { title: 'Rotate the other keys?', risk: 'red' });
    const otherMail = await until("ann's mail", () => mailsTo(boxes.mails, 'ann@example.org', other.id)[0]);
    assert.equal((await resolve(hub, other.id, 'approve', bearer(annToken))).status, 200);
    const again = await openLink(hub, linkIn(otherMail.text, 'approve'), 'POST');
    assert.equal(again.status, 200);
    const decision = (await call(hub, 'GET', `/decisions/${other.id}`)).body;
    assert.equal(decision.status, 'pending', 'ann approving by token and by link is one approval');
    assert.deepEqual(decision.approvals.map((a: any) => a.person), ['ann']);
  });

  test('one link sent five times at once answers once: one 200, four pages saying it was used', async () => {
    // Red: ann approving again would count once and still be a 200, so only the link's single use tells the second use apart.
    const asked = await ask(hub, { title: 'Drop the old index?', risk: 'red' });
    const mail = await until("ann's mail", () => mailsTo(boxes.mails, 'ann@example.org', asked.id)[0]);
    const link = linkIn(mail.text, 'approve');
    const results = await Promise.all(Array.from({ length: 5 }, () => openLink(hub, link, 'POST')));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 410, 410, 410, 410]);
    for (const used of results.filter((r) => r.status === 410)) assert.match(used.text, /used already/);
    const decision = (await call(hub, 'GET', `/decisions/${asked.id}`)).body;
    assert.equal(decision.status, 'pending');
    assert.deepEqual(decision.approvals.map((a: any) => a.person), ['ann']);
    assert.deepEqual(await eventTypes(hub, asked.id), ['decision.requested', 'decision.approved_once']);
  });

  test('a high decision is sent to ann, reminded after 1 s, escalated to lead after 2 s, and followed up when settled', async () => {
    const agent = await registeredAgent(hub, 'builder-2', { name: 'builder two' });
    const asked = await ask(hub, { title: 'Merge the release branch?', risk: 'high' }, agent);
    await until('the escalation to lead', () => takenAbout(boxes.ntfy, asked.id)[0]);
    const reminded = await sql<{ data: any; actor: string }>`select data, actor from events where decision_id = ${asked.id} and type = 'decision.reminded' order by seq`.execute(hub.db);
    assert.deepEqual(
      reminded.rows.map((r) => [r.actor, r.data.step, r.data.escalation, r.data.people]),
      [
        ['hub', 1, false, ['ann']],
        ['hub', 2, true, ['lead']],
      ],
    );
    const slack = takenAbout(boxes.slack, asked.id).map((t) => t.body.text as string);
    assert.equal(slack.length, 2, slack.join(' | '));
    assert.match(slack[1]!, /Still waiting/);
    const ntfy = takenAbout(boxes.ntfy, asked.id)[0]!;
    assert.match(ntfy.headers.title, /Escalated/);
    assert.equal(ntfy.headers.priority, '4');

    assert.equal((await resolve(hub, asked.id, 'deny', hub.auth, 'not today')).status, 200);
    await until('the follow-up to ann', () => takenAbout(boxes.slack, asked.id).find((t) => /Settled/.test(t.body.text)));
    await until('the follow-up to lead', () => takenAbout(boxes.ntfy, asked.id).find((t) => /Settled/.test(t.headers.title)));
    // No reminder after it settled.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal((await eventTypes(hub, asked.id)).filter((t) => t === 'decision.reminded').length, 2);
  });

  test('low and medium decisions tell no one; an agent failure reaches lead', async () => {
    const before = boxes.mails.length + boxes.slack.taken.length + boxes.bobHook.taken.length;
    const medium = await ask(hub, { title: 'Bump a dependency?', risk: 'medium' });
    const agent = await registeredAgent(hub, 'builder-3', { name: 'builder three' });
    assert.equal((await call(hub, 'POST', '/events', { type: 'agent.failed', agentId: 'builder-3', data: { error: 'out of memory', code: 137 } }, agent)).status, 201);
    await until('the failure on ntfy', () => boxes.ntfy.taken.find((t) => t.body.includes('out of memory')));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(boxes.mails.length + boxes.slack.taken.length + boxes.bobHook.taken.length, before, `medium ${medium.id} told someone`);
  });

  test('GET /people lists the people and their contact points, never a Slack URL whole; tokens name only known people', async () => {
    const res = await call(hub, 'GET', '/people', undefined, bearer(hub.adminToken));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
      res.body.people.map((p: any) => [p.name, p.contactPoints.map((c: any) => c.channel)]),
      [
        ['ann', ['email', 'slack']],
        ['bob', ['email', 'webhook']],
        ['lead', ['ntfy']],
      ],
    );
    assert.ok(!res.text.includes(new URL(boxes.config.people!.ann!.slack!).pathname), 'the Slack path is a secret');
    assertProblem(await call(hub, 'GET', '/people'), 403, 'forbidden', /operator/);
    const mint = (body: unknown) => call(hub, 'POST', '/tokens', body, bearer(hub.adminToken));
    assertProblem(await mint({ role: 'operator', person: 'zed' }), 400, 'validation_failed', /no person "zed".*ann, bob, lead/);
    assertProblem(await mint({ role: 'agent', agentId: 'a-1', person: 'ann' }), 400, 'validation_failed', /\/person/);
    assertProblem(await mint({ role: 'operator', person: 'Not A Name' }), 400, 'validation_failed', /\/person/);
    const minted = await mint({ role: 'viewer', person: 'lead' });
    assert.equal(minted.status, 201);
    assert.equal(minted.body.person, 'lead');
  });
});

describe('notifications: delivery that loses nothing', () => {
  test('a mail server that refuses is a visible failed delivery; a receiver down and back gets every notice once', async () => {
    const refusing = await smtpServer({ refuse: true, password: testNotifySecrets.smtpPassword });
    const slackPort = await deadPort();
    const config: ConfigOverrides = {
      people: { ann: { email: 'ann@example.org', slack: `http://127.0.0.1:${slackPort}/services/T0/B0/secret` } },
      notifications: {
        smtp: { host: '127.0.0.1', port: refusing.port, secure: false, user: 'hub', from: 'mc@example.org' },
        routes: [{ notify: [{ people: ['ann'], channels: ['email', 'slack'] }] }],
      },
      webhooks: { pollMs: 50, maxBackoffMs: 200, timeoutMs: 10_000, pauseAfterFailures: 1000 },
    };
    const database = await testDatabase();
    const hub = await testHub(database.url, config);
    try {
      const asked = await Promise.all([1, 2, 3].map((i) => ask(hub, { title: `Question ${i}?`, risk: 'high' })));
      const deliveries = async (id: string) => (await call(hub, 'GET', `/webhooks/${id}/deliveries?limit=50`, undefined, bearer(hub.adminToken))).body.deliveries as any[];
      await until('refused mail attempts', async () => ((await deliveries('cp_ann.email')).some((d) => d.lastStatus === 550) ? true : undefined));
      const failed = (await deliveries('cp_ann.email')).find((d) => d.lastStatus === 550);
      assert.match(failed.lastError, /refused/);
      await until('failed Slack attempts', async () => {
        const list = await deliveries('cp_ann.slack');
        return list.length === 3 && list.some((d) => d.attempts >= 2 && /could not be reached/.test(d.lastError)) ? true : undefined;
      });

      // Slack comes back on the same port: every notice arrives, each once.
      const back = await receiver(200, slackPort);
      await until('all three on Slack', () => (asked.every((d) => takenAbout(back.receiver, d.id).length > 0) ? true : undefined));
      await until('each recorded as delivered', async () => ((await deliveries('cp_ann.slack')).every((d) => d.status === 'delivered') ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(back.receiver.taken.length, 3);
    } finally {
      await hub.close();
      await database.drop();
    }
  });

  test('two hubs on one database send each notice once', async () => {
    const hook = await receiver();
    const config: ConfigOverrides = {
      people: { bob: { webhook: hook.url } },
      notifications: { routes: [{ notify: [{ people: ['bob'], channels: ['webhook'] }] }] },
      webhooks: { pollMs: 50, maxBackoffMs: 200, timeoutMs: 5000 },
    };
    const database = await testDatabase();
    const one = await testHub(database.url, config);
    const two = await testHub(database.url, config);
    try {
      await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i % 2 ? one : two, { title: `Burst ${i}?`, risk: 'high' })));
      await until('twenty notices', () => (new Set(hook.receiver.taken.map((t) => t.headers['webhook-id'])).size === 20 ? true : undefined));
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(hook.receiver.taken.length, 20);
    } finally {
      await one.close();
      await two.close();
      await database.drop();
    }
  });

  test('a route naming a person who does not exist stops the hub at start, naming both', async () => {
    const database = await testDatabase();
    try {
      await assert.rejects(
        testHub(database.url, { people: { ann: { email: 'ann@example.org' } }, notifications: { routes: [{ name: 'oncall', notify: [{ people: ['zed'], channels: ['email'] }] }] } }),
        /notifications\.routes\[0\] \(oncall\): notify\[0\] names "zed", who is not in people \(people: ann\)/,
      );
    } finally {
      await database.drop();
    }
  });
});
