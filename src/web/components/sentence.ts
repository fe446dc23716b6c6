/** A reason as a sentence: a full stop is added only when the text does not already end one (no "notes.."). */
export function asSentence(text: string): string {
  const t = text.trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

/** "Ada", for sentences like "Ada won’t be told". */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}
