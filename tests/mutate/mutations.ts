import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One small change to the product, and the test files that should notice it. */
export interface Mutation {
  /** The file to change, from the repository's root. */
  file: string;
  /** What the change breaks, in the domain's words. */
  name: string;
  /** Text that occurs exactly once in the file. */
  find: string;
  replace: string;
  /** Test files that cover the code, from the repository's root. */
  tests: readonly string[];
}

const unit = (name: string) => `tests/unit/${name}.test.ts`;
const integration = (name: string) => `tests/integration/${name}.test.ts`;

const agents = [unit('agents-rules')];
const budget = [unit('budget-rules')];
const decisions = [unit('decisions-rules')];
const healer = [unit('healer-rules')];
const runnerRules = [unit('runner-rules')];
const tasks = [unit('tasks-rules')];
const runners = [unit('runners-rules')];
const permissionTable = [integration('permissions')];
const appendableTypes = [integration('appendable-types')];
const append = [integration('append'), integration('bad-input')];
const groupCommit = [integration('group-commit'), integration('append')];
const policies = [unit('policies')];
const codingAgents = [integration('claude-code')];
const hookCommand = [integration('claude-code-cli')];
const notifications = [unit('notifications')];
const answerLinks = [integration('notifications')];
const retention = [integration('retention')];
const rebuild = [integration('rebuild')];
const logReads = [integration('envelope-text'), integration('row-stream'), unit('sse-frames')];

/** The pure rules, the permission table and the log's append path, each broken in a way a test should notice. */
export const mutations: readonly Mutation[] = [
  // agents
  { file: 'server/agents/rules.ts', name: 'the earlier of two times counts as the later', find: 'Date.parse(a) >= Date.parse(b) ? a : b', replace: 'Date.parse(a) < Date.parse(b) ? a : b', tests: agents },
  { file: 'server/agents/rules.ts', name: 'an agent is stale one silence early (< instead of <=)', find: 'Date.parse(seen) <= staleAfterMs', replace: 'Date.parse(seen) < staleAfterMs', tests: agents },
  { file: 'server/agents/rules.ts', name: 'an agent awaiting a decision never goes stale', find: 'if (!liveStatuses.includes(agent.status)) return [];', replace: "if (agent.status !== 'running') return [];", tests: agents },
  { file: 'server/agents/rules.ts', name: 'a heartbeat does not recover a stale agent', find: "if (agent.status === 'stale') return [recovered(agent, now.toISOString())];", replace: '', tests: agents },
  { file: 'server/agents/rules.ts', name: "anyone's event recovers a stale agent", find: "agent?.status !== 'stale' || !bySelf(event)", replace: "agent?.status !== 'stale'", tests: agents },
  { file: 'server/agents/rules.ts', name: 'an ended agent can be stopped', find: 'if (isFinal(agent.status)) throw new HubError(\'conflict\', `agent "${id}" has already', replace: 'if (false) throw new HubError(\'conflict\', `agent "${id}" has already', tests: agents },
  { file: 'server/agents/rules.ts', name: 'an agent that registered itself can be stopped', find: 'if (agent.template === null) {', replace: 'if (false) {', tests: agents },
  { file: 'server/agents/rules.ts', name: 'an ended agent can be paused', find: '  if (!isPausable(agent.status)) {\n    throw', replace: '  if (false) {\n    throw', tests: agents },
  { file: 'server/agents/rules.ts', name: "the healer lifts a budget's pause", find: "new Set(['decision', 'healer'])", replace: "new Set(['decision', 'healer', 'budget'])", tests: agents },
  { file: 'server/agents/rules.ts', name: "the healer's resume is logged as an operator's", find: "const reason = role === 'healer' ? 'healer' : 'operator';", replace: "const reason = 'operator';", tests: agents },
  { file: 'server/agents/rules.ts', name: 'a resume-all after a pause-all still counts as paused', find: 'marks.pausedSeq > marks.resumedSeq', replace: 'marks.pausedSeq < marks.resumedSeq', tests: agents },
  { file: 'server/agents/rules.ts', name: 'a second pause-all logs a second hub.paused_all', find: "pausedAll ? [] : [{ type: 'hub.paused_all'", replace: "false ? [] : [{ type: 'hub.paused_all'", tests: agents },
  { file: 'server/agents/rules.ts', name: 'resume-all resumes what an operator or the budget paused', find: " && a.pausedReason === 'pause_all').map", replace: ').map', tests: agents },
  { file: 'server/agents/rules.ts', name: "a budget-paused agent gets the pause's 409 instead of the budget's 402", find: "agent?.status === 'paused' && agent.pausedReason !== 'budget'", replace: "agent?.status === 'paused'", tests: agents },
  // budget
  { file: 'server/budget/rules.ts', name: 'the warning waits for the limit instead of warnAt', find: 'reached(spentUsd, defaults.warnAt * limitUsd)', replace: 'reached(spentUsd, limitUsd)', tests: budget },
  { file: 'server/budget/rules.ts', name: "an operator's override does not stop budget.exceeded", find: 'if (!budget.exceeded && !budget.overridden && reached', replace: 'if (!budget.exceeded && reached', tests: budget },
  { file: 'server/budget/rules.ts', name: 'an exceeded budget pauses an agent that has ended', find: '&& agent !== undefined && isPausable(agent.status))', replace: '&& agent !== undefined)', tests: budget },
  { file: 'server/budget/rules.ts', name: 'an exceeded budget blocks only when also spent', find: 'return budget.exceeded || (!budget.overridden', replace: 'return budget.exceeded && (!budget.overridden', tests: budget },
  { file: 'server/budget/rules.ts', name: 'a limit change resumes agents while the changed budget still blocks', find: 'if (blocks(changed, defaults)) return changes;', replace: '', tests: budget },
  { file: 'server/budget/rules.ts', name: "a task budget's change affects agents of other tasks", find: "if (ref.scope === 'task') return agent.taskId === ref.scopeId;", replace: "if (ref.scope === 'task') return true;", tests: budget },
  { file: 'server/budget/rules.ts', name: "a run's estimate is not counted up front", find: 'roundUsd(b.spentUsd + estimateUsd) > limitUsd', replace: 'roundUsd(b.spentUsd) > limitUsd', tests: budget },
  { file: 'server/budget/rules.ts', name: "an operator's override does not let an estimate through", find: 'if (!b.overridden && roundUsd', replace: 'if (roundUsd', tests: budget },
  // decisions
  { file: 'server/decisions/rules.ts', name: 'medium and high risk are approved by policy', find: "if (ask.risk !== 'low') return [requested];", replace: "if (ask.risk === 'red') return [requested];", tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'a red decision may be approved by its deadline', find: "if (ask.risk === 'red' && ask.onTimeout === 'approve') {", replace: 'if (false) {', tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'an answer at the very deadline is taken', find: 'if (now.getTime() >= Date.parse(decision.expiresAt)) {', replace: 'if (now.getTime() > Date.parse(decision.expiresAt)) {', tests: decisions },
  { file: 'server/decisions/rules.ts', name: "the asker's own approval of a red decision counts", find: 'if (answer.by === decision.requestedBy || (answer.person !== undefined && answer.person === askerPerson)) {', replace: 'if (false) {', tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'one operator approving twice resolves a red decision', find: 'if (decision.approvals.some((a) => a.by === answer.by || (answer.person !== undefined && a.person === answer.person))) return [];', replace: '', tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'the same answer again is a 409 instead of a no-op', find: 'if (decision.outcome === answer.outcome) return [];', replace: '', tests: decisions },
  { file: 'server/decisions/rules.ts', name: "an operator may not cancel another's decision", find: "canceller.role === 'admin' || canceller.role === 'operator' ||", replace: "canceller.role === 'admin' ||", tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'a decision expires one tick late', find: 'now.getTime() < Date.parse(decision.expiresAt)) return [];', replace: 'now.getTime() <= Date.parse(decision.expiresAt)) return [];', tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'an escalated medium decision stays medium', find: "risk === 'low' || risk === 'medium' ? 'high' : risk", replace: "risk === 'low' ? 'high' : risk", tests: decisions },
  { file: 'server/decisions/rules.ts', name: 'an escalation escalates again when unanswered', find: "onTimeout: 'deny',", replace: 'onTimeout: decision.onTimeout,', tests: decisions },
  // healer
  { file: 'server/healer/rules.ts', name: "a playbook's exit code is not matched", find: 'if (match.exitCode !== undefined && match.exitCode !== failure.code) return false;', replace: '', tests: healer },
  { file: 'server/healer/rules.ts', name: 'the first attempt already waits twice the backoff', find: '2 ** Math.max(0, attempt - 1)', replace: '2 ** attempt', tests: healer },
  { file: 'server/healer/rules.ts', name: 'a playbook gets one attempt more than its maxAttempts', find: 'if (used >= playbook.maxAttempts) {', replace: 'if (used > playbook.maxAttempts) {', tests: healer },
  { file: 'server/healer/rules.ts', name: "an operator's approve abandons instead of retrying", find: "outcome === 'retry' || outcome === 'approve' ? 'retry'", replace: "outcome === 'retry' ? 'retry'", tests: healer },
  { file: 'server/healer/rules.ts', name: 'a respawned agent starts a new lineage', find: '(failure.agentId !== undefined ? state.lineages[failure.agentId] : undefined) ?? failure.eventId', replace: 'failure.eventId', tests: healer },
  // spawn
  { file: 'server/runners/rules.ts', name: 'a label of another value satisfies runsOn', find: '&& labels[name] === value', replace: '', tests: runners },
  { file: 'server/runners/rules.ts', name: 'a full runner takes one more agent', find: 'load < runner.capacity', replace: 'load <= runner.capacity', tests: runners },
  { file: 'server/runners/rules.ts', name: 'the busiest runner is chosen first', find: 'a.load / a.runner.capacity - b.load / b.runner.capacity', replace: 'b.load / b.runner.capacity - a.load / a.runner.capacity', tests: runners },
  { file: 'server/runners/rules.ts', name: 'a placed agent does not count against its runner in the same round', find: '    chosen.load += 1;\n', replace: '', tests: runners },
  { file: 'server/runners/rules.ts', name: 'a runner that comes back without a started agent leaves it running', find: "if (agent.status !== 'spawning' && !runs) {", replace: 'if (false) {', tests: runners },
  { file: 'server/runners/rules.ts', name: 'a runner goes offline one silence early', find: '<= offlineAfterMs) return [];', replace: '< offlineAfterMs) return [];', tests: runners },
  { file: 'server/runner/rules.ts', name: 'a template may run in the data directory itself', find: "if (relative === '' || (", replace: 'if ((', tests: runnerRules },
  { file: 'server/runner/rules.ts', name: 'directories need read instead of search permission', find: 'const need = found.directory ? 0o1 : 0o4;', replace: 'const need = found.directory ? 0o4 : 0o1;', tests: runnerRules },
  { file: 'server/runner/rules.ts', name: "the owner's bits are read as the group's", find: 'found.uid === agent.uid ? 6 :', replace: 'found.uid === agent.uid ? 3 :', tests: runnerRules },
  // tasks
  { file: 'server/tasks/rules.ts', name: 'an agent may finish its task in review', find: 'review: [],', replace: "review: ['done'],", tests: tasks },
  { file: 'server/tasks/rules.ts', name: 'the healer moves tasks whose agent has not failed', find: 'return assigneeFailed ? healerMoves[task.status] : [];', replace: 'return healerMoves[task.status];', tests: tasks },
  { file: 'server/tasks/rules.ts', name: 'an agent takes an unassigned task in any state', find: "(task.agentId === null && task.status === 'todo')", replace: '(task.agentId === null)', tests: tasks },
  { file: 'server/tasks/rules.ts', name: 'an agent hands its task to another agent', find: "if (role === 'agent' && command.assignTo !== undefined && command.assignTo !== agentId) {", replace: 'if (false) {', tests: tasks },
  { file: 'server/tasks/rules.ts', name: 'a blocked task forgets where it was', find: 'statusBeforeBlock: task.status, ...stamp', replace: 'statusBeforeBlock: null, ...stamp', tests: tasks },
  // the permission table
  { file: 'server/auth/roles.ts', name: 'an agent may resume any agent', find: "'POST /agents/:id/resume': ['admin', 'operator', 'healer'],", replace: "'POST /agents/:id/resume': ['admin', 'operator', 'healer', 'agent'],", tests: permissionTable },
  { file: 'server/auth/roles.ts', name: 'an agent may resolve decisions', find: "'POST /decisions/:id/resolve': ['admin', 'operator'],", replace: "'POST /decisions/:id/resolve': ['admin', 'operator', 'agent'],", tests: permissionTable },
  { file: 'server/auth/roles.ts', name: 'an operator may mint tokens', find: "'POST /tokens': ['admin'],", replace: "'POST /tokens': ['admin', 'operator'],", tests: permissionTable },
  { file: 'server/auth/roles.ts', name: 'a viewer may not read the metrics', find: "'GET /metrics': ['admin', 'operator', 'viewer'],", replace: "'GET /metrics': ['admin', 'operator'],", tests: permissionTable },
  { file: 'server/auth/roles.ts', name: 'an agent may append agent.paused', find: "agent: ['agent.output',", replace: "agent: ['agent.paused', 'agent.output',", tests: [...permissionTable, ...appendableTypes] },
  { file: 'server/auth/roles.ts', name: 'a viewer may append custom events', find: 'viewer: [],', replace: "viewer: ['x.*'],", tests: permissionTable },
  { file: 'server/auth/roles.ts', name: "the healer's events carry its token id as actor", find: "if (role === 'healer') return 'healer';", replace: '', tests: [...appendableTypes, integration('healer-log-identity')] },
  // the append path
  { file: 'server/log/check-append.ts', name: "oversize data passes up to twice the limit", find: 'Buffer.byteLength(event.dataJson) > limits.eventDataBytes', replace: 'Buffer.byteLength(event.dataJson) > 2 * limits.eventDataBytes', tests: append },
  { file: 'server/log/check-append.ts', name: 'a batch may use one key twice', find: 'if (seenKeys.has(key)) throw', replace: 'if (false) throw', tests: append },
  { file: 'server/log/check-append.ts', name: 'an agent token writes about another agent', find: 'if (bound !== null && append.agentId !== undefined && append.agentId !== bound) {', replace: 'if (false) {', tests: [...append, ...appendableTypes] },
  { file: 'server/log/check-append.ts', name: "an agent token's events do not name its agent", find: 'prepare(append, bound ?? append.agentId,', replace: 'prepare(append, append.agentId,', tests: [...append, ...appendableTypes] },
  { file: 'server/log/check-append.ts', name: "clients share one key space, so one squats another's keys", find: 'return `client:${actor}:`;', replace: "return 'client:';", tests: append },
  { file: 'server/log/check-append.ts', name: 'a batch takes an Idempotency-Key header', find: 'if (batch) throw invalidInput(', replace: 'if (false) throw invalidInput(', tests: append },
  { file: 'server/log/check-append.ts', name: 'a header key differing from the body key is ignored', find: 'if (bodyKey !== undefined && bodyKey !== headerKey) throw', replace: 'if (false) throw', tests: append },
  { file: 'server/log/check-append.ts', name: "the batch count is left to the schema's check", find: 'if (Array.isArray(events) && events.length > maxEvents) {', replace: 'if (false) {', tests: append },
  { file: 'server/log/write-group.ts', name: 'a key reused with another payload is taken as a retry', find: 'else if (earlier.payloadHash !== e.payloadHash) return conflict(e);', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a retry in the same group is not marked deduped', find: 'const deduped = claimed.has(key) ||', replace: 'const deduped = false ||', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'reactions are cut one level deep', find: 'const maxReactionDepth = 4;', replace: 'const maxReactionDepth = 1;', tests: [...groupCommit, integration('budgets')] },
  { file: 'server/log/write-group.ts', name: 'a reaction that already happened is appended again', find: '!stored.has(e.idempotencyKey) && ', replace: '', tests: [...groupCommit, integration('budgets')] },
  { file: 'server/log/write-group.ts', name: 'a guarded append shares its run instead of going alone', find: "(work: AppendWork) => 'command' in work || guarded(work.events)", replace: "(work: AppendWork) => 'command' in work", tests: [...groupCommit, integration('budgets')] },
  { file: 'server/log/insert-events.ts', name: 'a commit wakes no listener', find: ', pg_notify(${log.notifyChannel}, max(seq)::text)', replace: '', tests: [...groupCommit, integration('stream')] },
  { file: 'server/log/event.ts', name: 'every view is shown every event, whatever it concerns', find: 'return projection.concerns === undefined || projection.concerns(event);', replace: 'return true;', tests: groupCommit },
  { file: 'server/agents/projection.ts', name: 'the agents view is shown only the events that name an agent', find: 'concerns: (event) => agentsTouched(event) !== undefined,', replace: 'concerns: (event) => event.agentId !== undefined,', tests: [integration('rebuild'), integration('agents'), integration('tasks'), integration('decisions'), integration('decisions-expiry'), integration('decisions-resolve')] },
  { file: 'server/decisions/projection.ts', name: "the decisions view is not shown its asker's end", find: ' || askerEndedReason(event) !== undefined,', replace: ',', tests: [integration('decisions-cancel')] },
  { file: 'server/log/group-commit.ts', name: 'a group ignores maxEvents', find: 'count + this.queue[take]!.size <= this.options.maxEvents', replace: 'true', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a key stored with another payload, met by the insert, is taken as a retry', find: 'else if (holder.payloadHash !== e.payloadHash) throw new KeyTaken(conflict(e));', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a retry met by the insert is not answered deduped', find: 'const deduped = claimed.has(key) || holder.id !== step.fresh.id;', replace: 'const deduped = claimed.has(key);', tests: groupCommit },
  { file: 'server/log/group-commit.ts', name: 'a lone request whose key is taken fails as an error, not a 409', find: 'if (error instanceof KeyTaken) return group[0]!.reject(error.conflict);', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'inserts take no log lock, so commits may pass each other', find: "lock: log.locked ? 'held' : 'transaction'", replace: "lock: 'held'", tests: [...groupCommit, integration('gap-free')] },
  { file: 'server/log/group-commit.ts', name: 'a group that only inserts takes a transaction anyway', find: '(await writeInsertOnly(this.db, works, this.projections, log)) ??', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'an insert-only group takes no log lock, so commits may pass each other', find: "{ lock: 'statement', notifyChannel: log.notifyChannel, skipStored: false }", replace: "{ lock: 'held', notifyChannel: log.notifyChannel, skipStored: false }", tests: [...groupCommit, integration('gap-free')] },
  { file: 'server/log/insert-events.ts', name: 'a one-statement append commits without waiting for the append ahead of it', find: ', pg_advisory_xact_lock(${logCommitLockKey})`', replace: '`', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a failed one-statement append keeps the insert lock', find: 'await releaseInsertLock(conn);', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'an insert-only group skips the keys stored already', find: 'notifyChannel: log.notifyChannel, skipStored: false', replace: 'notifyChannel: log.notifyChannel, skipStored: true', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a group in a transaction fails on a key stored already', find: 'notifyChannel: log.notifyChannel, skipStored: true', replace: 'notifyChannel: log.notifyChannel, skipStored: false', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'an event a view folds is written by the one statement, unfolded', find: 'if (p.guard?.applies(e) || concerns(p, head)) return undefined;', replace: 'if (p.guard?.applies(e)) return undefined;', tests: [...groupCommit, integration('agents')] },
  { file: 'server/log/write-group.ts', name: 'an event a view guards is written by the one statement, unchecked', find: 'if (p.guard?.applies(e) || concerns(p, head)) return undefined;', replace: 'if (concerns(p, head)) return undefined;', tests: [...groupCommit, integration('budgets')] },
  { file: 'server/log/write-group.ts', name: 'a key twice in a group goes to the one statement', find: 'if (keys.has(e.idempotencyKey)) return undefined;', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a key stored already fails an insert-only group', find: 'if ((error as { code?: unknown }).code === uniqueViolation) return undefined;', replace: '', tests: groupCommit },
  { file: 'server/log/write-group.ts', name: 'a command reads the views before taking the log lock', find: 'if (log.locked) return;', replace: 'return;', tests: [...groupCommit, integration('budgets'), integration('decisions')] },
  // reading the log: the envelope's text, the rows as they arrive, the SDK's frames
  { file: 'server/log/read-after.ts', name: "an envelope's time is in the connection's time zone", find: "to_char(recorded_at AT TIME ZONE 'UTC', ", replace: 'to_char(recorded_at, ', tests: logReads },
  { file: 'server/log/read-after.ts', name: "an event's id goes into its envelope unescaped", find: `',"id":' || to_json(id)::text`, replace: `',"id":"' || id || '"'`, tests: logReads },
  { file: 'server/db/row-stream.ts', name: 'a streamed read hands over more rows than asked', find: 'return this.arrived.splice(0, maxRows);', replace: 'return this.arrived.splice(0);', tests: logReads },
  { file: 'server/client/sse-frames.ts', name: 'a CRLF ends two lines', find: 'next = buffer.charCodeAt(cr + 1) === lineFeed ? cr + 2 : cr + 1;', replace: 'next = cr + 1;', tests: logReads },
  { file: 'server/client/sse-frames.ts', name: "the space after a field's colon is kept", find: 'if (valueStart < end && buffer.charCodeAt(valueStart) === space) valueStart += 1;', replace: '', tests: logReads },
  // policies and coding agents
  { file: 'server/policies/rules.ts', name: "a tool rule matches the tool's name in part", find: 'regex(rule.name, \'tool\', `^(?:${match.tool})$`, \'\')', replace: "regex(rule.name, 'tool', match.tool, '')", tests: policies },
  { file: 'server/policies/rules.ts', name: 'outsideWorkspace is not checked', find: 'if (match.outsideWorkspace !== undefined) {', replace: 'if (false) {', tests: policies },
  { file: 'server/policies/shipped.ts', name: 'a read-only command may be chained to another', find: 'const alone = String.raw`[^;&|<>\\x60$\\n]*$`;', replace: 'const alone = String.raw`.*$`;', tests: policies },
  { file: 'server/coding-agents/sessions.ts', name: "a token may send hooks for another token's session", find: 'if (owner !== principal.actor) {', replace: 'if (false) {', tests: codingAgents },
  { file: 'server/coding-agents/gate.ts', name: "a paused agent's tool calls go to the policy", find: 'if (paused !== undefined) {', replace: 'if (false) {', tests: codingAgents },
  { file: 'server/coding-agents/gate.ts', name: 'a hook does not wait for its decision', find: 'waitMs + deadlineGraceMs, AbortSignal', replace: '1, AbortSignal', tests: codingAgents },
  { file: 'server/cli/hook.ts', name: 'mc hook fails open when the hub is down', find: "const failed = typeof event === 'string' && !gating.has(event) ? reportsOnly : blocks;", replace: 'const failed = reportsOnly;', tests: hookCommand },
  { file: 'server/auth/roles.ts', name: 'an operator may send hooks', find: "'POST /integrations/:vendor/hooks': ['coder'],", replace: "'POST /integrations/:vendor/hooks': ['coder', 'operator'],", tests: permissionTable },
  { file: 'server/log/group-commit.ts', name: 'one broken request fails its whole group', find: 'for (const p of group) await this.commitGroup([p]);', replace: 'for (const p of group) p.reject(error);', tests: groupCommit },
  // notifications and one-tap answers
  { file: 'server/decisions/rules.ts', name: "one person's token and link approve a red decision as two", find: ' || (answer.person !== undefined && a.person === answer.person)', replace: '', tests: notifications },
  { file: 'server/decisions/rules.ts', name: "the asker's person approves a red decision by link", find: ' || (answer.person !== undefined && answer.person === askerPerson)', replace: '', tests: notifications },
  { file: 'server/notifications/links.ts', name: "a link's signature is not checked", find: 'if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;', replace: '', tests: notifications },
  { file: 'server/notifications/routes.ts', name: 'a link answers more than once', find: 'if (!(await useAnswerLink(deps.db, claim)))', replace: 'if (!(await useAnswerLink(deps.db, claim)) && false)', tests: answerLinks },
  { file: 'server/notifications/routes.ts', name: 'a link answers past its deadline', find: 'if (deps.clock.now().getTime() >= claim.expiresAt * 1000)', replace: 'if (false)', tests: answerLinks },
  { file: 'server/notifications/rules.ts', name: 'a route naming an unknown person starts anyway', find: "if (!people.includes(person)) return", replace: 'if (false) return', tests: [...notifications, ...answerLinks] },
  // retention and the rebuild
  { file: 'server/retention/model.ts', name: 'retention may take agent lifecycle events', find: "const retainablePrefixes = ['tool.', 'session.', 'x.'];", replace: "const retainablePrefixes = ['tool.', 'session.', 'x.', 'agent.'];", tests: retention },
  { file: 'server/retention/model.ts', name: 'retention takes events an hour old', find: 'const shortestAgeMs = 24 * 3_600_000;', replace: 'const shortestAgeMs = 3_600_000;', tests: retention },
  { file: 'server/retention/archive.ts', name: 'retention takes events younger than their age', find: 'const cutoff = new Date(now.getTime() - rule.ageMs);', replace: 'const cutoff = new Date(now.getTime() + rule.ageMs);', tests: retention },
  { file: 'server/retention/archived.ts', name: "a project's token reads other projects' archived events", find: 'if (projectId === undefined || frames.length === 0) return frames;', replace: 'return frames;', tests: retention },
  { file: 'server/agents/store.ts', name: "retention counts an agent.stale as the agent's latest activity", find: 'AND type <> ${silenceType} ORDER BY seq DESC', replace: 'ORDER BY seq DESC', tests: retention },
  { file: 'server/agents/store.ts', name: "a run of an agent's output lines dates its status from the last line, not the first", find: '${last.seq}, ${first.seq})', replace: '${last.seq}, ${last.seq})', tests: rebuild },
  { file: 'server/log/event.ts', name: 'a run is folded with events another view also concerns', find: '&& alone(projections, concerned[0]!, envelopes[end]!)', replace: '', tests: rebuild },
  { file: 'server/log/rebuild.ts', name: 'an interrupted rebuild starts over', find: 'if (kept[0]?.views === views) return Number(kept[0].after);', replace: '', tests: rebuild },
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every mutation's search text must occur exactly once, so a stale entry fails loudly instead of testing nothing. */
export function staleMutations(list: readonly Mutation[]): string[] {
  return list.flatMap((m) => {
    const count = readFileSync(`${root}${m.file}`, 'utf8').split(m.find).length - 1;
    return count === 1 ? [] : [`${m.file}: "${m.name}" finds its text ${count} times, not once`];
  });
}
