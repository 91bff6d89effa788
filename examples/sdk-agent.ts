// An agent written with the SDK: reports, asks, then takes messages until told "done".
// Run it from the checkout: MC_HUB_URL=... MC_AGENT_ID=... MC_AGENT_TOKEN=... node --import tsx examples/sdk-agent.ts
import { Agent } from '../server/client/agent.ts';

const agent = Agent.fromEnvironment(); // MC_HUB_URL, MC_AGENT_ID, MC_AGENT_TOKEN
agent.startHeartbeat(); // every 10 s; stale after a minute of silence
// An x.progress event; its key makes it once across restarts (a retry is answered, not appended).
await agent.emit('x.progress', { text: 'cloning the repo' }, { idempotencyKey: 'cloning-the-repo' });
await agent.checkpoint(); // waits here while an operator pauses the agent
const decision = await agent.requestDecision({ title: 'Push to main?', risk: 'high' });
await agent.progress(decision.status === 'resolved' && decision.outcome === 'approve' ? 'pushing to main' : `not pushing: ${decision.status}`);
for await (const { message } of agent.messages()) {
  // What operators inject (`mc inject <agent> <message>`), in order; breaking out ends the loop.
  await agent.progress(`told: ${message}`);
  if (message === 'done') break;
}
agent.close();
