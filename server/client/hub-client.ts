import type { TraceContext } from '../../contracts/trace-context.ts';
import { type RetryPolicy, defaultRetry } from './backoff.ts';
import { type HubConnection, hubBaseUrl, sendToHub } from './hub-request.ts';
import { Actors } from './resources/actors.ts';
import { Agents } from './resources/agents.ts';
import { BriefResource } from './resources/brief.ts';
import { Budgets } from './resources/budgets.ts';
import { Decisions } from './resources/decisions.ts';
import { Events } from './resources/events.ts';
import { Integrations } from './resources/integrations.ts';
import { OverviewResource } from './resources/overview.ts';
import { People } from './resources/people.ts';
import { Policies } from './resources/policies.ts';
import { Projects } from './resources/projects.ts';
import type { CallOptions } from './resources/resource.ts';
import { Runners } from './resources/runners.ts';
import { Tasks } from './resources/tasks.ts';
import { Templates } from './resources/templates.ts';
import { Tokens } from './resources/tokens.ts';
import { Webhooks } from './resources/webhooks.ts';
import type { WhoAmI } from './views.ts';

export { HubClientError } from './errors.ts';

export interface HubClientOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
  /** The W3C trace span this client's requests belong to: sent as `traceparent`, kept on the events they append. */
  trace?: TraceContext;
}

/**
 * The hub's HTTP API, typed, a namespace per resource (`hub.decisions.request()`,
 * `hub.events.list()`): the one way the CLI, the healer, the dashboard, agents and tests talk to
 * a hub. Runs in Node and in browsers. Reads and keyed writes are retried with backoff; every
 * failure is a HubClientError.
 */
export class HubClient {
  readonly url: string;
  readonly token: string;
  readonly events: Events;
  readonly decisions: Decisions;
  readonly agents: Agents;
  readonly tasks: Tasks;
  readonly tokens: Tokens;
  readonly budgets: Budgets;
  readonly actors: Actors;
  readonly templates: Templates;
  readonly runners: Runners;
  readonly projects: Projects;
  readonly policies: Policies;
  readonly integrations: Integrations;
  readonly webhooks: Webhooks;
  readonly people: People;
  readonly brief: BriefResource;
  readonly overview: OverviewResource;
  private readonly connection: HubConnection;
  private readonly options: HubClientOptions;

  constructor(options: HubClientOptions) {
    this.options = options;
    this.url = hubBaseUrl(options.url);
    this.token = options.token;
    const doFetch = options.fetch ?? fetch;
    // Called bare, never as a method of the connection: browsers refuse `fetch` with another `this`.
    const connection: HubConnection = { url: this.url, token: options.token, fetch: (input, init) => doFetch(input, init), retry: { ...defaultRetry, ...options.retry }, ...(options.trace ? { trace: options.trace } : {}) };
    this.connection = connection;
    this.events = new Events(connection);
    this.decisions = new Decisions(connection);
    this.agents = new Agents(connection);
    this.tasks = new Tasks(connection);
    this.tokens = new Tokens(connection);
    this.budgets = new Budgets(connection);
    this.actors = new Actors(connection);
    this.templates = new Templates(connection);
    this.runners = new Runners(connection);
    this.projects = new Projects(connection);
    this.policies = new Policies(connection);
    this.integrations = new Integrations(connection);
    this.webhooks = new Webhooks(connection);
    this.people = new People(connection);
    this.brief = new BriefResource(connection);
    this.overview = new OverviewResource(connection);
  }

  /** The same client, its requests sent in the span `trace` (e.g. a child of the event being acted on). */
  withTrace(trace: TraceContext): HubClient {
    return new HubClient({ ...this.options, trace });
  }

  /** The caller behind this client's token. */
  whoami(options: CallOptions = {}): Promise<WhoAmI> {
    return sendToHub(this.connection, { method: 'GET', path: '/whoami', idempotent: true, ...options });
  }
}
