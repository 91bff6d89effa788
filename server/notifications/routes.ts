import { Hono } from 'hono';
import type { Context } from 'hono';
import type { People } from '../../contracts/api-views.ts';
import { allow } from '../auth/middleware.ts';
import { personName } from '../auth/tokens.ts';
import { resolveDecision } from '../decisions/commands.ts';
import type { Decision } from '../decisions/model.ts';
import { clip, limits } from '../decisions/model.ts';
import { loadDecision } from '../decisions/store.ts';
import { HubError } from '../errors.ts';
import type { FeatureDeps } from '../feature.ts';
import type { HubEnv } from '../http/env.ts';
import { knownQuery } from '../http/known-query.ts';
import { listContactPoints } from '../subscriptions/store.ts';
import { answerLabel } from './channels/answers.ts';
import { type AnswerClaim, readClaim } from './links.ts';
import { channels } from './model.ts';
import { settledAs } from './notice.ts';
import { confirmPage, outcomePage, pagePolicy } from './page.ts';
import { answerLinkUsedAt, linkKeyReader, releaseAnswerLink, useAnswerLink } from './store.ts';

type Refusal = { status: 400 | 403 | 404 | 409 | 410; heading: string; line: string; decision?: Decision };

/**
 * `/answer/:link`: the one-tap answers. GET shows the question and a button (so link scanners and
 * mail previews, which only GET, never answer); POST answers as the person the link was sent to.
 * No token is involved: the link is the claim, signed by the hub, used once.
 */
export function answerRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  const linkKey = linkKeyReader(deps.db);

  /** The claim and its decision when the link may still answer; else the page that says why not. */
  async function check(link: string): Promise<{ claim: AnswerClaim; decision: Decision } | Refusal> {
    const claim = readClaim(await linkKey(), link);
    if (claim === undefined) return { status: 400, heading: 'This link is not valid', line: 'It was not made by this hub, or it was changed on the way. Nothing was answered. Open the question in the dashboard instead.' };
    const decision = await loadDecision(deps.db, claim.decisionId);
    if (decision === undefined || deps.config.people[claim.person] === undefined) {
      return { status: 404, heading: 'This link is not for this hub', line: `It names ${decision === undefined ? 'a question this hub does not have' : `${claim.person}, who is no longer one of its people`}. Nothing was answered.` };
    }
    const usedAt = await answerLinkUsedAt(deps.db, claim.nonce);
    if (usedAt !== undefined) return { status: 410, heading: 'This link was used already', line: `It answered at ${usedAt.toISOString()}; each link answers once. Nothing more was answered.`, decision };
    if (deps.clock.now().getTime() >= claim.expiresAt * 1000) return { status: 410, heading: 'This link has expired', line: `The question's deadline (${decision.expiresAt}) has passed. Nothing was answered.`, decision };
    if (decision.status !== 'pending') {
      const by = decision.resolvedBy === null ? undefined : await personName(deps.db, decision.resolvedBy);
      return { status: 409, heading: 'This question is settled', line: `It was ${settledAs(decision, by)}. Nothing was answered.`, decision };
    }
    return { claim, decision };
  }

  const html = (c: Context<HubEnv>, body: string, status: Refusal['status'] | 200) => {
    c.header('content-security-policy', pagePolicy);
    c.header('cache-control', 'no-store');
    return c.html(body, status);
  };
  const refuse = (c: Context<HubEnv>, refusal: Refusal) => html(c, outcomePage(refusal.heading, refusal.line, refusal.decision), refusal.status);

  app.get('/:link', knownQuery([]), async (c) => {
    const checked = await check(c.req.param('link'));
    if ('status' in checked) return refuse(c, checked);
    const { claim, decision } = checked;
    const asker = decision.agentId ?? (await personName(deps.db, decision.requestedBy));
    return html(c, confirmPage(decision, asker, claim.person, claim.outcome), 200);
  });

  app.post('/:link', knownQuery([]), async (c) => {
    const checked = await check(c.req.param('link'));
    if ('status' in checked) return refuse(c, checked);
    const { claim, decision } = checked;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const comment = typeof form.comment === 'string' && form.comment.trim() !== '' ? clip(form.comment.trim(), limits.reason) : undefined;
    if (!(await useAnswerLink(deps.db, claim))) return refuse(c, { status: 410, heading: 'This link was used already', line: 'Each link answers once. Nothing more was answered.', decision });
    try {
      await resolveDecision(deps.appender, decision.id, { outcome: claim.outcome, by: `person:${claim.person}`, person: claim.person, ...(comment !== undefined ? { comment } : {}) }, deps.clock, c.get('origin'));
    } catch (error) {
      // A refusal by the rules changes nothing, and the link stays used; a failure of the hub gives it back, to be tried again.
      if (!(error instanceof HubError)) {
        await releaseAnswerLink(deps.db, claim.nonce);
        throw error;
      }
      return refuse(c, { status: error.status === 403 ? 403 : 409, heading: 'Your answer was not taken', line: error.message, decision });
    }
    const now = (await loadDecision(deps.db, decision.id)) ?? decision;
    const word = answerLabel(claim.outcome);
    if (now.status === 'pending') return html(c, outcomePage('Approved: one more approval needed', `Your approval is recorded as ${claim.person}. A red decision needs a second person's approval before the agent goes on.`, now), 200);
    return html(c, outcomePage(`Answered: ${word}`, `Recorded as ${claim.person}. The asker has been told.`, now), 200);
  });
  return app;
}

/** `GET /people` (admin): the config's people, their contact points (never a secret URL whole) and how delivery to each stands. */
export function peopleRoutes(deps: FeatureDeps): Hono<HubEnv> {
  const app = new Hono<HubEnv>();
  app.get('/', allow('GET /people'), knownQuery([]), async (c) => {
    const points = await listContactPoints(deps.db);
    const people = Object.keys(deps.config.people).map((name) => ({
      name,
      contactPoints: channels.flatMap((channel) => {
        const point = points.find((p) => p.person === name && p.channel === channel);
        return point === undefined ? [] : [{ channel, id: point.id, address: point.url.replace(/^mailto:/, ''), pausedAt: point.pausedAt, pausedReason: point.pausedReason, consecutiveFailures: point.consecutiveFailures }];
      }),
    }));
    return c.json({ people } satisfies People);
  });
  return app;
}
