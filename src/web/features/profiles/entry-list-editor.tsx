/**
 * Edits a list of dated entries (experience, education): add, edit in place, remove. Years are kept
 * as typed text here and become numbers (or null for "present") only when the form is checked, so
 * half-typed values never fight the cursor.
 */
import { useEffect, useRef, useState } from 'react';
import type { FieldErrors } from '../../api/messages.js';
import { TextField } from '../../components/field.js';
import { EmptyState } from '../../components/states.js';

export interface EntryField<K extends string> {
  name: K;
  label: string;
  year?: boolean;
  hint?: string;
  autoComplete?: string;
  wide?: boolean;
}

export type Draft<K extends string> = { key: number } & Record<K, string>;

let nextKey = 1;
export const newKey = () => nextKey++;

interface Props<K extends string> {
  /** Contract field the list is sent as, e.g. `positions`: error paths start with it. */
  name: string;
  id: string;
  title: string;
  /** One entry, as a noun: "experience", "education". */
  noun: string;
  emptyText: string;
  fields: Array<EntryField<K>>;
  entries: Array<Draft<K>>;
  blank: () => Draft<K>;
  describe: (entry: Draft<K>) => string;
  errors: FieldErrors;
  onChange: (entries: Array<Draft<K>>) => void;
  onAnnounce: (text: string) => void;
}

export function EntryListEditor<K extends string>(props: Props<K>) {
  const { name, id, title, noun, fields, entries, errors, onChange } = props;
  const [focusKey, setFocusKey] = useState<number>();
  const addButton = useRef<HTMLButtonElement>(null);
  const listError = errors[name];

  useEffect(() => {
    if (focusKey === undefined) return;
    document.getElementById(`${id}-${focusKey}-${fields[0]?.name ?? ''}`)?.focus();
    setFocusKey(undefined);
  }, [focusKey, id, fields]);

  const add = () => {
    const entry = props.blank();
    onChange([entry, ...entries]);
    setFocusKey(entry.key);
  };
  const remove = (key: number, label: string) => {
    onChange(entries.filter((e) => e.key !== key));
    props.onAnnounce(`Removed ${label}. Save to keep the change.`);
    addButton.current?.focus();
  };
  const update = (key: number, field: K, value: string) => onChange(entries.map((e) => (e.key === key ? { ...e, [field]: value } : e)));

  return (
    <section className="card section" id={id} aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" ref={addButton} className="button button-secondary button-small" onClick={add}>
          Add {noun}
        </button>
      </div>
      {listError && <p className="field-error">{listError}</p>}
      {entries.length === 0 ? (
        <EmptyState title={`No ${noun} yet`}>
          <p>{props.emptyText}</p>
        </EmptyState>
      ) : (
        <ol className="entry-editors">
          {entries.map((entry, index) => {
            const label = props.describe(entry) || `new ${noun}`;
            return (
              <li key={entry.key}>
                <fieldset className="entry-editor">
                  <legend>{label}</legend>
                  <div className="grid">
                    {fields.map((f) => (
                      <TextField
                        key={f.name}
                        id={`${id}-${entry.key}-${f.name}`}
                        className={f.wide ? 'span-2' : undefined}
                        label={f.label}
                        hint={f.hint}
                        autoComplete={f.autoComplete ?? 'off'}
                        inputMode={f.year ? 'numeric' : undefined}
                        maxLength={f.year ? 4 : undefined}
                        value={entry[f.name]}
                        onChange={(e) => update(entry.key, f.name, e.target.value)}
                        error={errors[`${name}.${index}.${f.name}`]}
                      />
                    ))}
                  </div>
                  {errors[`${name}.${index}`] && <p className="field-error">{errors[`${name}.${index}`]}</p>}
                  <button type="button" className="button button-danger-text button-small" onClick={() => remove(entry.key, label)}>
                    Remove {noun}
                    <span className="visually-hidden">: {label}</span>
                  </button>
                </fieldset>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** '' → NaN (the schema then says "Enter a year"), or null where empty means "present". */
export function toYear(text: string, emptyIsPresent: boolean): number | null {
  const t = text.trim();
  if (t === '') return emptyIsPresent ? null : Number.NaN;
  return Number(t);
}
