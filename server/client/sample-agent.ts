// The `sample` template's agent, and a short tour of the SDK. The hub starts it with
// MC_HUB_URL, MC_AGENT_ID, MC_AGENT_TOKEN and, when the spawn request had one, MC_AGENT_INPUT.
import { Agent } from './agent.ts';

const agent = Agent.fromEnvironment();
const input: unknown = process.env.MC_AGENT_INPUT ? JSON.parse(process.env.MC_AGENT_INPUT) : null;

agent.startHeartbeat();
await agent.progress(`starting the sample task (input: ${JSON.stringify(input)})`);

// While it waits for a human, it answers what operators inject: `mc inject <agent> <message>`.
const echoing = (async () => {
  for await (const { message, from } of agent.messages()) await agent.emit('x.sample.echo', { message, from });
})();

// A paused agent stops here until an operator resumes it.
await agent.checkpoint();
const decision = await agent.requestDecision({
  title: 'Proceed with the sample task?',
  context: `The sample agent was started with input ${JSON.stringify(input)}.`,
  risk: 'medium',
});

if (decision.status === 'resolved' && decision.outcome === 'approve') {
  await agent.progress('approved: doing the sample task');
  await agent.emit('x.sample.done', { input, decisionId: decision.id });
} else {
  await agent.emit('x.sample.denied', { decisionId: decision.id, status: decision.status, outcome: decision.outcome, comment: decision.comment });
}

agent.close();
await echoing;
