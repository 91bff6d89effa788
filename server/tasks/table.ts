/** The tables of the tasks view (filled in with the feature). */
export interface TasksTables {}
