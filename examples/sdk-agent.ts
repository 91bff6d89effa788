// An agent written with the SDK: reports, asks, then takes messages until told "done".
// Run it from the checkout: MC_HUB_URL=... MC_AGENT_ID=... MC_AGENT_TOKEN=... node --import tsx examples/sdk-agent.ts
import { Agent } from '../server/client/agent.ts';

const agent = Agent.fromEnvironment(); // MC_HUB_URL, MC_AGENT_ID, MC_AGENT_TOKEN
agent.startHeartbeat(); // every 10 s; stale after a minute of silence
// agent.hub is the whole client, a namespace per resource; events.list() reads every page for you.
const reported = new Set<unknown>();
for await (const event of agent.hub.events.list({ agent: agent.id, types: ['x.progress'] })) reported.add(event.data.text);
if (!reported.has('cloning the repo')) await agent.progress('cloning the repo'); // an x.progress event, once across restarts
await agent.checkpoint(); // waits here while an operator pauses the agent
const decision = await agent.requestDecision({ title: 'Push to main?', risk: 'high' });
await agent.progress(decision.status === 'resolved' && decision.outcome === 'approve' ? 'pushing to main' : `not pushing: ${decision.status}`);
for await (const { message } of agent.messages()) {
  // What operators inject (`mc inject <agent> <message>`), in order; breaking out ends the loop.
  await agent.progress(`told: ${message}`);
  if (message === 'done') break;
}
agent.close();
