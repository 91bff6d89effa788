import { type Command, UsageError, jsonArgument, positional, text } from './command.ts';

export const emitCommand: Command = {
  name: 'emit',
  summary: 'append one event to the log',
  usage: 'mc emit <type> <json> [--agent X] [--task X] [--key K]',
  help: `Appends an event of <type> (custom types are x.<anything>) whose data is the JSON object
<json>, and prints its seq and id. Sent again with the same --key, it is not appended twice.

  --agent X     the agent it is about (an agent token: its own agent)
  --task X      the task it is about
  --key K       the idempotency key (default: a new one per run)`,
  options: { agent: { type: 'string' }, task: { type: 'string' }, key: { type: 'string' } },
  async run(ctx, values, positionals) {
    const [type, json] = positional(positionals, 'type', 'json') as [string, string];
    const data = jsonArgument(json, '<json>');
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError('<json> must be a JSON object, e.g. \'{"step": 1}\'');
    const agentId = text(values, 'agent');
    const taskId = text(values, 'task');
    const idempotencyKey = text(values, 'key');
    const receipt = await ctx.client.events.append({
      type,
      data: data as Record<string, unknown>,
      ...(agentId ? { agentId } : {}),
      ...(taskId ? { taskId } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
    ctx.out(`${receipt.deduped ? 'already appended' : 'appended'} ${type} at seq ${receipt.seq} (${receipt.id})`);
    return 0;
  },
};
