/** What to start: everything comes from a configured template, never from a request. */
export interface RunSpec {
  agentId: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env: Readonly<Record<string, string>>;
  /** `messages`: injected messages arrive on stdin, one JSON line each. */
  stdin: 'none' | 'messages';
}

export interface AgentExit {
  code: number | null;
  signal: string | null;
}

/** A started agent process, whatever runs it. */
export interface AgentProcess {
  pid: number | undefined;
  /** Writes one line to the agent's stdin; false when it has none or it is closed. */
  writeLine(line: string): boolean;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<AgentExit>;
}

/** Receives the agent's output, one line at a time. */
export type OutputSink = (stream: 'stdout' | 'stderr', line: string) => void;

/** Starts agents. The built-in one runs local child processes; a container or remote runner fits the same seam. */
export interface AgentRunner {
  readonly name: string;
  start(spec: RunSpec, output: OutputSink): Promise<AgentProcess>;
}
