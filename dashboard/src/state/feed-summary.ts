import { ansiSpans, plainText } from './ansi.ts';
import { usd } from './format.ts';
import type { EventEnvelope } from './types.ts';

const max = 160;

/** One line about an event for the feed's row: its main field, else its data in short; people by `name`. */
export function summarize(event: EventEnvelope, name: (actor: string) => string = (actor) => actor): string {
  const d = event.data as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
  let line: string;
  switch (event.type) {
    case 'agent.output':
      line = `${text(d.stream)}: ${plainText(ansiSpans(text(d.line)))}`;
      break;
    case 'agent.message_injected':
      line = `"${text(d.message)}" from ${text(d.from)}`;
      break;
    case 'agent.paused':
    case 'agent.resumed':
      line = `reason: ${text(d.reason)}`;
      break;
    case 'agent.failed':
      line = text(d.error) || `code ${text(d.code)}`;
      break;
    case 'agent.assigned':
    case 'agent.lost':
    case 'runner.offline':
      line = `runner ${text(d.runnerId)}`;
      break;
    case 'runner.registered':
      line = `${text(d.name)}: ${Object.entries((d.labels as Record<string, string>) ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}, capacity ${text(d.capacity)}`;
      break;
    case 'workspace.committed':
      line = `${text(d.branch)} ${text(d.sha).slice(0, 10)}: ${text(d.message)}`;
      break;
    case 'workspace.finished':
      line = `${text(d.branch)}: ${text(d.commits)} commits, +${text(d.added)} -${text(d.removed)}`;
      break;
    case 'workspace.merged':
    case 'workspace.merge_failed':
      line = `${text(d.branch)} into ${text(d.base)}: ${d.sha ? text(d.sha).slice(0, 10) : text(d.reason)}`;
      break;
    case 'agent.stop_requested':
    case 'decision.cancelled':
    case 'hub.paused_all':
    case 'hub.resumed_all':
      line = `by ${name(text(d.by))}${d.reason ? `: ${text(d.reason)}` : ''}`;
      break;
    case 'agent.exited':
      line = d.stoppedBy ? `stopped by ${name(text(d.stoppedBy))} (${text(d.signal)})` : `code ${text(d.code)}`;
      break;
    case 'task.created':
    case 'decision.requested':
      line = `${text(d.title)}${d.risk ? ` (${text(d.risk)})` : ''}`;
      break;
    case 'task.transitioned':
      line = `${text(d.from)} → ${text(d.to)}${d.reason ? `: ${text(d.reason)}` : ''}`;
      break;
    case 'decision.resolved':
      line = `${text(d.outcome)} by ${name(text(d.by))}${d.comment ? `: ${text(d.comment)}` : ''}`;
      break;
    case 'decision.approved_once':
      line = `1 of 2 approvals, by ${name(text(d.by))}`;
      break;
    case 'decision.expired':
      line = `deadline passed: ${text(d.outcome)} (on timeout: ${text(d.onTimeout)})`;
      break;
    case 'decision.reminded':
      line = `${d.escalation ? 'escalated to' : 'reminded'} ${Array.isArray(d.people) ? d.people.map(text).join(', ') : ''} by ${Array.isArray(d.channels) ? d.channels.map(text).join(', ') : ''}`;
      break;
    case 'heal.completed':
      line = `${text(d.playbook)}: ${text(d.action)} (attempt ${text(d.attempts)})`;
      break;
    case 'heal.escalated':
      line = text(d.reason);
      break;
    case 'tool.requested': {
      const policy = (d.policy ?? {}) as Record<string, unknown>;
      line = `${text(d.tool)}: ${callOf(d.input)} → ${text(policy.verdict)} (${text(policy.rule)})`;
      break;
    }
    case 'tool.completed':
      line = `${text(d.tool)}: ${callOf(d.input)}`;
      break;
    case 'tool.failed':
      line = `${text(d.tool)}: ${text(d.error)}`;
      break;
    case 'session.started':
      line = `${text(d.cwd)} (${text(d.source)})`;
      break;
    case 'session.prompted':
      line = text(d.prompt);
      break;
    case 'session.notified':
      line = text(d.message);
      break;
    case 'policy.rule_added':
      line = `${text((d.rule as Record<string, unknown> | undefined)?.name)} for ${text(d.scope)}, by ${name(text(d.by))}`;
      break;
    case 'agent.registered':
      line = `via ${text(d.via)}${d.vendor ? ` (${text(d.vendor)})` : ''}${d.cwd ? ` in ${text(d.cwd)}` : ''}`;
      break;
    case 'agent.spawn_requested':
      line = `${text(d.name)} from ${text(d.template)}`;
      break;
    case 'agent.spawned':
      line = `runner ${text(d.runner)}${d.pid ? `, pid ${text(d.pid)}` : ''}`;
      break;
    case 'agent.stale':
    case 'agent.recovered':
      line = `last heard from ${text(d.lastSeenAt)}`;
      break;
    case 'task.assigned':
      line = `to ${name(`agent:${text(d.agentId)}`)}`;
      break;
    case 'budget.warning':
    case 'budget.exceeded':
      line = `${budgetOf(d, name)}: ${usd(Number(d.spentUsd))} of ${usd(Number(d.limitUsd))}`;
      break;
    case 'budget.spend_corrected':
      line = `${budgetOf(d, name)} spend set to ${usd(Number(d.spentUsd))} by ${name(text(d.by))}: ${text(d.reason)}`;
      break;
    case 'budget.limit_changed':
      line = `${budgetOf(d, name)} limit set to ${usd(Number(d.limitUsd))} by ${name(text(d.by))}`;
      break;
    case 'hub.loop_detected':
      line = `${text(d.kind)}, ${text(d.count)} times in ${text(d.windowSec)} s: ${text(d.detail)}`;
      break;
    case 'run.started':
      line = `${text(d.model)}, ~${usd(Number(d.estimatedCostUsd))}`;
      break;
    case 'run.completed':
      line = `${text(d.tokensIn)} tokens in, ${text(d.tokensOut)} out, ${usd(Number(d.costUsd))}`;
      break;
    case 'session.ended':
    case 'session.compacting':
    case 'session.stopped':
    case 'session.hook_unknown': {
      const why = d.reason ?? d.trigger ?? d.hookEventName ?? (d.subagent ? 'subagent' : undefined);
      line = `${text(d.cwd)}${why ? ` (${text(why)})` : ''}`;
      break;
    }
    case 'workspace.merge_requested':
    case 'workspace.merge_approved':
      line = `${text(d.branch)} into ${text(d.base)} (${text(d.mode)})${d.by ? ` by ${name(text(d.by))}` : ''}`;
      break;
    default:
      line = JSON.stringify(d);
  }
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Whose budget: an agent by name, a task by id, or the hub's. */
function budgetOf(d: Record<string, unknown>, name: (actor: string) => string): string {
  return d.scope === 'agent' ? name(`agent:${String(d.scopeId)}`) : d.scope === 'task' ? `task ${String(d.scopeId)}` : 'all agents';
}

/** A tool call's input in short: its command or file, else its JSON. */
export function callOf(input: unknown): string {
  const fields = (input ?? {}) as Record<string, unknown>;
  for (const field of ['command', 'file_path', 'notebook_path', 'path', 'url', 'pattern']) if (typeof fields[field] === 'string') return fields[field] as string;
  return JSON.stringify(fields);
}
