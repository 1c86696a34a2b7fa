// What a stored response's answers look like: answer id → value (matrix rows answer under their own
// ids; "<item>:other" holds an other-text). Reading and checking answers is the respondent side's job.
export type StoredAnswer = number | string | string[];
export type StoredAnswers = Record<string, StoredAnswer>;
