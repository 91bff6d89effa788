/**
 * The seam between a coding agent's hooks and the hub: an adapter reads its vendor's payloads
 * into a HookCall in the hub's words, and writes the hub's answer back in the vendor's format.
 * Everything else (sessions as agents, the policy, decisions, pause, the log) is the vendor's
 * no concern: Codex or Gemini CLI is one more adapter (see adapters.ts).
 */
export interface HookAdapter {
  /** Its name in `/integrations/<vendor>/hooks` and in the log (`claude-code`). */
  vendor: string;
  /** The prefix of its sessions' agent ids (`cc-<session id>`). */
  agentPrefix: string;
  /** Reads a payload, or throws a 400 HubError that says what is missing. A hook it does not know is `session.hook_unknown`. */
  read(payload: unknown): HookCall;
  /** The body that answers `call`; `verdict` is set for a call with a gate (undefined: no opinion). */
  answer(call: HookCall, verdict: GateAnswer | undefined): unknown;
}

/** Where a hook comes from: the session, and what it says about itself. */
export interface SessionRef {
  id: string;
  cwd: string | null;
  transcriptPath: string | null;
}

/** The hub's event types for what hooks say. */
export type HookEventType =
  | 'session.started'
  | 'session.prompted'
  | 'session.notified'
  | 'session.stopped'
  | 'session.compacting'
  | 'session.ended'
  | 'session.hook_unknown'
  | 'tool.requested'
  | 'tool.completed'
  | 'tool.failed';

/** One hook, read: the event to log and, for a tool the agent asks to use, the call the policy judges. */
export interface HookCall {
  /** The vendor's name for the hook (`PreToolUse`), as it sent it. */
  hook: string;
  session: SessionRef;
  type: HookEventType;
  /** The event's data, the session context aside (the route adds it); texts are cut by the route. */
  data: Record<string, unknown>;
  /** A tool the agent asks to use: the hook waits for the answer. */
  gate?: { tool: string; input: Record<string, unknown>; toolUseId: string | null };
}

/** The hub's answer to a gate: allow or deny (with the reason the agent sees), or ask (the agent's own local prompt). */
export interface GateAnswer {
  decision: 'allow' | 'deny' | 'ask';
  reason: string;
}
