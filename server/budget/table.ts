/** The tables of the budget view (filled in with the feature). */
export interface BudgetTables {}
