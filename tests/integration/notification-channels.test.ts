import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Mailer, type MailerOptions, emailMessage } from '../../server/notifications/channels/email.ts';
import { postTo, receiverOf } from '../../server/notifications/channels/http.ts';
import { ntfyRequest, sendNtfy } from '../../server/notifications/channels/ntfy.ts';
import { sendSlack, slackMessage } from '../../server/notifications/channels/slack.ts';
import { sendWebhook, webhookBody } from '../../server/notifications/channels/webhook.ts';
import type { Notice } from '../../server/notifications/model.ts';
import { webhookKey, webhookRefusal } from '../../server/webhooks/signature.ts';
import { closeAfterwards, deadPort, mimeParts, mute, receiver, smtpLogin, smtpServer } from '../helpers/receivers.ts';

/** A red question with both answers (deny listed first, to show the channels put approve first) and characters every format must escape. */
function notice(overrides: Partial<Notice> = {}): Notice {
  return {
    kind: 'ask',
    person: 'ana',
    title: 'Deploy <api> to prod?',
    text: 'Agent a-1 wants to run `deploy` & migrate.\nThe schema <users> changes.',
    risk: 'red',
    deadline: '2026-12-01T10:00:00.000Z',
    decisionId: 'dec_42',
    page: 'https://hub.example/#/decisions/dec_42',
    answers: [
      { outcome: 'deny', url: 'https://hub.example/answer?d=dec_42&outcome=deny&sig=abc' },
      { outcome: 'approve', url: 'https://hub.example/answer?d=dec_42&outcome=approve&sig=def' },
    ],
    event: { seq: 7, id: 'evt_7', type: 'decision.requested', actor: 'agent:a-1', decisionId: 'dec_42', recordedAt: '2026-12-01T09:00:00.000Z', data: { title: 'Deploy <api> to prod?' } },
    ...overrides,
  };
}

const never = new AbortController().signal;

describe('postTo, the one HTTP POST every channel makes', () => {
  test('a 2xx is a success with no error', async () => {
    const { receiver: r, url } = await receiver(204);
    const attempt = await postTo(url, { headers: { 'content-type': 'text/plain' }, body: 'hello' }, 5000, never);
    assert.equal(attempt.status, 204);
    assert.equal(attempt.error, null);
    assert.equal(r.taken[0]!.body, 'hello');
  });

  for (const status of [500, 410]) {
    test(`a receiver answering ${status} is reported with its status`, async () => {
      const { url } = await receiver(status);
      const attempt = await postTo(url, { headers: {}, body: '{}' }, 5000, never);
      assert.deepEqual({ status: attempt.status, error: attempt.error }, { status, error: `the receiver answered ${status}` });
    });
  }

  test('a redirect is reported, not followed', async () => {
    const { receiver: r, url } = await receiver(302);
    const attempt = await postTo(url, { headers: {}, body: '{}' }, 5000, never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: 302, error: 'the receiver answered 302' });
    assert.equal(r.taken.length, 1);
  });

  test('a receiver that never answers is given up on at the timeout', async () => {
    const { receiver: r, url } = await receiver();
    r.silent = true;
    const attempt = await postTo(url, { headers: {}, body: '{}' }, 300, never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: null, error: 'no answer within 300 ms' });
  });

  test('a port nothing listens on is reported with the network error code', async () => {
    const attempt = await postTo(`http://127.0.0.1:${await deadPort()}/hook`, { headers: {}, body: '{}' }, 5000, never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: null, error: 'the receiver could not be reached (ECONNREFUSED)' });
  });

  test('a stop through the signal ends the request', async () => {
    const { receiver: r, url } = await receiver();
    r.silent = true;
    const stop = new AbortController();
    const sending = postTo(url, { headers: {}, body: '{}' }, 60_000, stop.signal);
    setTimeout(() => stop.abort(), 50);
    const attempt = await sending;
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: null, error: 'stopped before the receiver answered' });
  });

  test('receiverOf names the receiver by its origin, without the path or query that may be its credential', () => {
    assert.equal(receiverOf('https://hooks.example/services/T0/B0/secret?token=secret#frag'), 'https://hooks.example');
    assert.equal(receiverOf('not a url'), 'an unparsable URL');
  });
});

describe('the generic webhook', () => {
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  test('posts the event envelope with the notification, signed the Standard Webhooks way', async () => {
    const { receiver: r, url } = await receiver(204);
    const attempt = await sendWebhook(url, secret, 'ntf_1', webhookBody(notice()), new Date(), 5000, never);
    assert.equal(attempt.error, null);
    const { headers, body } = r.taken[0]!;
    const signed = { id: headers['webhook-id'] as string, timestamp: headers['webhook-timestamp'] as string, signature: headers['webhook-signature'] as string };
    assert.equal(webhookRefusal(webhookKey(secret), signed, body, Math.floor(Date.now() / 1000)), undefined);
    assert.equal(signed.id, 'ntf_1');
    assert.equal(headers['user-agent'], 'mission-control-webhooks');
    assert.equal(headers['content-type'], 'application/json');
    const sent = JSON.parse(body);
    assert.deepEqual({ seq: sent.seq, id: sent.id, type: sent.type, decisionId: sent.decisionId }, { seq: 7, id: 'evt_7', type: 'decision.requested', decisionId: 'dec_42' });
    assert.deepEqual(sent.notification, {
      kind: 'ask',
      person: 'ana',
      title: 'Deploy <api> to prod?',
      text: notice().text,
      risk: 'red',
      deadline: '2026-12-01T10:00:00.000Z',
      decisionId: 'dec_42',
      page: 'https://hub.example/#/decisions/dec_42',
      answers: notice().answers,
    });
  });

  test('a notice with no deadline, decision or page still has those keys, as null', () => {
    const sent = JSON.parse(webhookBody(notice({ kind: 'event', deadline: undefined, decisionId: undefined, page: undefined, answers: [] })));
    assert.deepEqual([sent.notification.deadline, sent.notification.decisionId, sent.notification.page], [null, null, null]);
  });
});

describe('Slack', () => {
  test('the message is a header, the context as escaped mrkdwn, the facts, and the answer buttons', () => {
    const { text, blocks } = slackMessage(notice());
    assert.deepEqual(blocks.map((b) => b.type), ['header', 'section', 'context', 'actions']);
    const [header, section, context, actions] = blocks as any[];
    assert.deepEqual(header.text, { type: 'plain_text', text: 'Deploy <api> to prod?' });
    assert.deepEqual(section.text, { type: 'mrkdwn', text: 'Agent a-1 wants to run `deploy` &amp; migrate.\nThe schema &lt;users&gt; changes.' });
    assert.deepEqual(context.elements.map((e: any) => e.type), ['mrkdwn', 'mrkdwn', 'mrkdwn']);
    assert.match(context.elements[0].text, /red/);
    assert.match(context.elements[1].text, /^\*Deadline:\* <!date\^1796119200\^.*\|2026-12-01T10:00:00.000Z>$/);
    assert.match(context.elements[2].text, /dec_42/);
    assert.deepEqual(
      actions.elements.map((e: any) => [e.type, e.text.text, e.url, e.style]),
      [
        ['button', 'Approve', notice().answers[1]!.url, 'primary'],
        ['button', 'Deny', notice().answers[0]!.url, 'danger'],
        ['button', 'Open in dashboard', 'https://hub.example/#/decisions/dec_42', undefined],
      ],
    );
    assert.equal(new Set(actions.elements.map((e: any) => e.action_id)).size, 3, 'action_ids are unique');
    assert.equal(text, 'Deploy &lt;api&gt; to prod?\nAgent a-1 wants to run `deploy` &amp; migrate.\nThe schema &lt;users&gt; changes.');
  });

  test("texts are cut to Slack's limits, never through an escape", () => {
    const { blocks } = slackMessage(notice({ title: 'T'.repeat(400), text: '&'.repeat(2000) }));
    const [header, section] = blocks as any[];
    assert.equal(header.text.text.length, 150);
    assert.ok(section.text.text.length <= 3000);
    assert.match(section.text.text, /^(&amp;)+…$/);
  });

  test('at most 25 buttons, the dashboard last; none at all for a settled question off the dashboard', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ outcome: `option${i}`, url: `https://hub.example/a/${i}` }));
    const actions = slackMessage(notice({ answers: many })).blocks.at(-1) as any;
    assert.equal(actions.elements.length, 25);
    assert.equal(actions.elements.at(-1).text.text, 'Open in dashboard');
    const settled = slackMessage(notice({ kind: 'settled', answers: [], page: undefined, deadline: undefined }));
    assert.deepEqual(settled.blocks.map((b) => b.type), ['header', 'section', 'context']);
  });

  test('sendSlack posts the message as JSON, and a revoked webhook (410) is reported', async () => {
    const { receiver: r, url } = await receiver(200);
    assert.equal((await sendSlack(url, notice(), 5000, never)).error, null);
    assert.deepEqual(JSON.parse(r.taken[0]!.body), JSON.parse(JSON.stringify(slackMessage(notice()))));
    assert.equal(r.taken[0]!.headers['content-type'], 'application/json');
    r.answer = 410;
    const revoked = await sendSlack(url, notice(), 5000, never);
    assert.deepEqual({ status: revoked.status, error: revoked.error }, { status: 410, error: 'the receiver answered 410' });
  });
});

describe('ntfy', () => {
  test('the title, a priority from the risk, tags, the click page and view actions, approve and deny first', () => {
    const answers = [{ outcome: 'defer', url: 'https://hub.example/a/defer' }, ...notice().answers, { outcome: 'escalate', url: 'https://hub.example/a/escalate' }];
    const { headers, body } = ntfyRequest(notice({ answers }));
    assert.equal(body, notice().text);
    assert.equal(headers.Title, 'Deploy <api> to prod?');
    assert.equal(headers.Priority, '5');
    assert.deepEqual(headers.Tags!.split(','), ['rotating_light', 'ask']);
    assert.equal(headers.Click, 'https://hub.example/#/decisions/dec_42');
    assert.deepEqual(JSON.parse(headers.Actions!), [
      { action: 'view', label: 'Approve', url: notice().answers[1]!.url },
      { action: 'view', label: 'Deny', url: notice().answers[0]!.url },
      { action: 'view', label: 'Defer', url: 'https://hub.example/a/defer' },
    ]);
  });

  test('each risk has its priority; no actions or click without answers or page', () => {
    const priorities = (['low', 'medium', 'high', 'red'] as const).map((risk) => ntfyRequest(notice({ risk })).headers.Priority);
    assert.deepEqual(priorities, ['2', '3', '4', '5']);
    assert.equal(ntfyRequest(notice({ risk: 'high' })).headers.Tags, 'warning,ask');
    const { headers } = ntfyRequest(notice({ kind: 'settled', risk: 'low', answers: [], page: undefined }));
    assert.equal(headers.Tags, 'settled');
    assert.equal(headers.Actions, undefined);
    assert.equal(headers.Click, undefined);
  });

  test('non-ASCII goes out ASCII: the title as an RFC 2047 encoded-word, the actions as JSON escapes', () => {
    const { headers } = ntfyRequest(notice({ title: 'Déployer l’API ? 🚀', answers: [{ outcome: 'approuvé', url: 'https://hub.example/a/1' }] }));
    for (const value of Object.values(headers)) assert.match(value, /^[\x20-\x7e]*$/);
    const word = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(headers.Title!);
    assert.ok(word, headers.Title);
    assert.equal(Buffer.from(word[1]!, 'base64').toString('utf8'), 'Déployer l’API ? 🚀');
    assert.equal(JSON.parse(headers.Actions!)[0].label, 'Approuvé');
  });

  test('sendNtfy publishes to the topic URL with those headers', async () => {
    const { receiver: r, url } = await receiver(200);
    assert.equal((await sendNtfy(url, notice(), 5000, never)).error, null);
    const { headers, body } = r.taken[0]!;
    assert.equal(body, notice().text);
    assert.deepEqual([headers.title, headers.priority, headers.click], ['Deploy <api> to prod?', '5', 'https://hub.example/#/decisions/dec_42']);
    assert.deepEqual(JSON.parse(headers.actions as string).map((a: any) => a.label), ['Approve', 'Deny']);
  });
});

function mailer(port: number, overrides: Partial<MailerOptions> = {}): Mailer {
  const m = new Mailer({ host: '127.0.0.1', port, secure: false, ...smtpLogin, from: 'Mission Control <hub@example.org>', timeoutMs: 5000, ...overrides });
  closeAfterwards(() => m.close());
  return m;
}

describe('email', () => {
  test('a mail server that takes the message gets a plain part and an HTML part with the answer links', async () => {
    const { port, mails } = await smtpServer();
    const attempt = await mailer(port).send('ana@example.org', notice(), never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: 250, error: null });
    assert.equal(mails.length, 1);
    const { from, to, raw } = mails[0]!;
    assert.deepEqual([from, to], ['hub@example.org', ['ana@example.org']]);
    assert.match(raw, /^Subject: \[red\] Deploy <api> to prod\?\r$/m);
    const parts = mimeParts(raw);
    assert.deepEqual([...parts.keys()], ['text/plain', 'text/html']);
    const plain = parts.get('text/plain')!;
    assert.ok(plain.includes(`Approve: ${notice().answers[1]!.url}`), plain);
    assert.ok(plain.includes(`Deny: ${notice().answers[0]!.url}`), plain);
    assert.ok(plain.includes('Open in dashboard: https://hub.example/#/decisions/dec_42'), plain);
    const html = parts.get('text/html')!;
    assert.ok(html.includes(`<a href="${notice().answers[1]!.url.replaceAll('&', '&amp;')}"`), html);
    assert.ok(html.includes('<pre'), html);
    assert.ok(html.includes('The schema &lt;users&gt; changes.'), html);
  });

  test('a refused recipient is reported with the server code', async () => {
    const { port, mails } = await smtpServer({ refuse: true });
    const attempt = await mailer(port).send('nobody@example.org', notice(), never);
    assert.equal(attempt.status, 550);
    assert.match(attempt.error!, /^the mail server refused: 550 /);
    assert.equal(mails.length, 0);
  });

  test('a wrong password is a refusal that never names the password', async () => {
    const { port } = await smtpServer();
    const attempt = await mailer(port, { password: 'not-the-one' }).send('ana@example.org', notice(), never);
    assert.equal(attempt.status, 535);
    assert.ok(!attempt.error!.includes('not-the-one'), attempt.error!);
  });

  test('a server that never greets is given up on at the timeout', async () => {
    const attempt = await mailer(await mute(), { timeoutMs: 300 }).send('ana@example.org', notice(), never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: null, error: 'no answer from the mail server within 300 ms' });
  });

  test('a port nothing listens on is reported as unreachable', async () => {
    const attempt = await mailer(await deadPort()).send('ana@example.org', notice(), never);
    assert.deepEqual({ status: attempt.status, error: attempt.error }, { status: null, error: 'the mail server could not be reached (ECONNREFUSED)' });
  });

  test('the subject says what kind of notice it is; every value in the HTML is escaped', () => {
    const subjects = (['ask', 'event', 'reminder', 'escalation', 'settled'] as const).map((kind) => emailMessage(notice({ kind, title: 'Ship it?' })).subject);
    assert.deepEqual(subjects, ['[red] Ship it?', '[red] Ship it?', 'Reminder: [red] Ship it?', 'Escalated: [red] Ship it?', 'Settled: Ship it?']);
    const { html } = emailMessage(notice({ title: '<script>alert("x")</script>', decisionId: 'd"><img>' }));
    assert.ok(!html.includes('<script>') && !html.includes('<img>'), html);
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), html);
  });
});
