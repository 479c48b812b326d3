/**
 * The manifest's text without the named entries: a list item `- name: <NAME>` (a container's
 * env) or a mapping key `<NAME>: ...` (a ConfigMap's data), each with the comment lines right
 * above it. Text rather than a YAML round trip, so that the sample's comments and layout stay as
 * written. Throws when a name is missing: the sample changed, and the generator must follow.
 */
export function withoutEntries(text: string, names: readonly string[], path: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  const found = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const match = /^( *)(?:- name: (\w+)$|(\w+):)/.exec(lines[i]);
    const name = match?.[2] ?? match?.[3];
    if (match === null || name === undefined || !names.includes(name)) {
      kept.push(lines[i]);
      continue;
    }
    found.add(name);
    const indent = match[1].length;
    while (kept.length > 0 && isCommentAt(kept[kept.length - 1], indent)) kept.pop();
    // The entry's own lines are deeper than its first one (a list item's fields, a value's continuation).
    while (i + 1 < lines.length && lines[i + 1].trim() !== '' && indentOf(lines[i + 1]) > indent) i++;
  }
  const missing = names.filter((name) => !found.has(name));
  if (missing.length > 0) throw new Error(`${path} no longer holds ${missing.join(', ')}`);
  return kept.join('\n');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function isCommentAt(line: string, indent: number): boolean {
  return indentOf(line) === indent && line.trimStart().startsWith('#');
}
