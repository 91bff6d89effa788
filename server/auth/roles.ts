import { type Role, roles } from '../../contracts/vocabulary.ts';
import { runnerIdOf } from '../runners/model.ts';

/** The caller behind a token. */
export interface Principal {
  tokenId: string;
  role: Role;
  /** Set only for agent tokens: the one agent it may speak for. */
  agentId: string | null;
  /** Written into `actor` on every event it appends. */
  actor: string;
  /** Who it is to a person: the token's name (see nameOf). */
  name: string;
  /** The one project a scoped token sees and acts in; null for every project. */
  projectId: string | null;
  /** The person of the config file the token belongs to; null when none. */
  person: string | null;
}

// Everyone but runners, which see only their own work: least privilege for a token on many machines.
const everyone = ['admin', 'operator', 'agent', 'healer', 'viewer'] as const satisfies readonly Role[];

/**
 * The permission table: which roles may call which endpoint. Not in it: the public gauges
 * (`/healthz`, `/readyz`, `/versionz`, `/contractz`), the dashboard's static files (`GET /` and
 * `GET /assets/*`, which hold no data: the page asks for a token), and `POST /healer/callbacks`,
 * which is authenticated by its webhook signature instead of a token, and `/answer/:link`, whose
 * signed one-tap link is its own claim. The one place that says
 * so; each route names its row with `allow('<METHOD> <path>')`, and a test walks every cell.
 */
export const permissions = {
  // A runner: only about the agents placed on it (the route checks).
  'POST /events': ['admin', 'operator', 'agent', 'healer', 'runner'],
  'GET /events': everyone,
  'GET /events/:id': everyone,
  'POST /tokens': ['admin'],
  'GET /tokens': ['admin'],
  'DELETE /tokens/:id': ['admin'],
  'GET /metrics': ['admin', 'operator', 'viewer'],
  'GET /agents': everyone,
  'GET /agents/:id': everyone,
  // Only the agent itself: the route also checks the token's agent id.
  'POST /agents/:id/heartbeat': ['agent'],
  'POST /agents/:id/pause': ['admin', 'operator'],
  // The healer: only an agent paused by a decision or by the healer (the rules check).
  'POST /agents/:id/resume': ['admin', 'operator', 'healer'],
  'POST /agents/:id/stop': ['admin', 'operator'],
  'POST /agents/:id/merge': ['admin', 'operator'],
  'POST /pause-all': ['admin', 'operator'],
  'POST /resume-all': ['admin', 'operator'],
  'POST /tasks': ['admin', 'operator', 'agent'],
  'GET /tasks': everyone,
  'GET /tasks/:id': everyone,
  // The healer: only a failed agent's task, back toward todo (the rules check).
  'POST /tasks/:id/transition': ['admin', 'operator', 'agent', 'healer'],
  'POST /decisions': ['admin', 'operator', 'agent', 'healer'],
  'GET /decisions': everyone,
  'GET /decisions/:id': everyone,
  // An agent may wait only on decisions it asked; the route checks.
  'GET /decisions/:id/wait': ['admin', 'operator', 'agent', 'healer'],
  'POST /decisions/:id/resolve': ['admin', 'operator'],
  // An agent or the healer may cancel only decisions it asked; the route checks.
  'POST /decisions/:id/cancel': ['admin', 'operator', 'agent', 'healer'],
  'POST /budgets': ['admin', 'operator'],
  'POST /budgets/correct': ['admin', 'operator'],
  'GET /budgets': everyone,
  // The healer: only `{respawnOf}` of a failed agent, never a template of its choosing (the route checks).
  'POST /spawn': ['admin', 'operator', 'healer'],
  'POST /inject': ['admin', 'operator'],
  'GET /templates': ['admin', 'operator'],
  'GET /whoami': roles,
  'GET /actors': everyone,
  'GET /runners': ['admin', 'operator', 'viewer'],
  'GET /overview': ['admin', 'operator', 'viewer'],
  'GET /brief': ['admin', 'operator', 'viewer'],
  'GET /projects': everyone,
  // A runner token registers, polls and starts agents only for its own runner (the routes check).
  'POST /runners': ['runner'],
  'GET /runners/:id/work': ['runner'],
  'POST /runners/:id/agents/:agentId/start': ['runner'],
  // A coder token: only for the sessions it registered (the route checks).
  'POST /integrations/:vendor/hooks': ['coder'],
  'POST /policies/check': ['admin', 'operator', 'agent', 'healer', 'viewer', 'coder'],
  // The rules name agents, projects and what operators allowed: for whoever sets them.
  'GET /policies': ['admin'],
  // The MCP tools act for the caller's agent (server/mcp/caller.ts); each call is then judged as the same token's HTTP request.
  'POST /mcp': ['agent'],
  'POST /webhooks': ['admin'],
  'GET /webhooks': ['admin'],
  'GET /people': ['admin'],
  'DELETE /webhooks/:id': ['admin'],
  'GET /webhooks/:id/deliveries': ['admin'],
  'POST /webhooks/:id/deliveries/:deliveryId/retry': ['admin'],
  'POST /webhooks/:id/resume': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof permissions;

/**
 * Event types each role may append through `POST /events` (`x.*`: any custom type). The other
 * catalog types change a view under its rules, so only the hub writes them, through its endpoints.
 */
export const appendableTypes: Record<Role, readonly string[]> = {
  admin: ['x.*'],
  operator: ['x.*'],
  agent: ['agent.output', 'agent.failed', 'agent.exited', 'run.started', 'run.completed', 'x.*'],
  healer: ['x.*'],
  viewer: [],
  // About the agents placed on its runner only: the route checks.
  // Its sessions' hooks go through their own endpoint.
  coder: [],
  runner: ['agent.spawned', 'agent.output', 'agent.exited', 'agent.failed', 'workspace.committed', 'workspace.finished', 'workspace.merged', 'workspace.merge_failed'],
};

/** True when `role` may append an event of `type`. */
export function mayAppend(role: Role, type: string): boolean {
  return appendableTypes[role].some((allowed) => allowed === type || (allowed.endsWith('.*') && type.startsWith(allowed.slice(0, -1))));
}

/** The `actor` recorded for a token's events. */
export function actorOf(role: Role, tokenId: string, agentId: string | null): string {
  if (role === 'agent') return `agent:${agentId}`;
  if (role === 'healer') return 'healer';
  if (role === 'runner') return `runner:${runnerIdOf(tokenId)}`;
  return `${role}:${tokenId}`;
}

/** What a person sees for a token's holder: its name; unnamed, its agent id, or its role and a short id. */
export function nameOf(role: Role, tokenId: string, agentId: string | null, name: string | null): string {
  if (name !== null) return name;
  if (agentId !== null) return agentId;
  return `${role} ${tokenId.replace(/^tok_/, '').slice(0, 6)}`;
}

/** "an admin", "an agent", "a viewer": a role as a message names one holder of it. */
export function aRole(role: string): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}
