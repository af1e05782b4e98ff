/**
 * A problem the user can fix: a bad config, input, flag or record, a target that never answered.
 * Its message says what is wrong and the fix; a bug carries a stack instead. The entries (the
 * Action, the CLI) tell the two apart with this one class.
 */
export class UserError extends Error {}
