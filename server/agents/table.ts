/** The tables of the agents view (filled in with the feature). */
export interface AgentsTables {}
