/** The tables of the decisions view (filled in with the feature). */
export interface DecisionsTables {}
