// {{t (concat "errors." code ".title")}}: joins strings, for building catalogue keys.
export function concat(...args: unknown[]): string {
  return args.slice(0, -1).map(String).join('');
}
