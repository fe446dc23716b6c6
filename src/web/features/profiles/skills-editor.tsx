import { useId, useState, type KeyboardEvent } from 'react';
import type { FieldErrors } from '../../api/messages.js';

const MAX_SKILLS = 50;

/** Skills as removable chips; type one and press Enter (or Add). */
export function SkillsEditor({ skills, errors, onChange, onAnnounce }: { skills: string[]; errors: FieldErrors; onChange: (skills: string[]) => void; onAnnounce: (text: string) => void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const id = useId();
  const chipErrors = skills.map((s, i) => (errors[`skills.${i}`] ? `${s}: ${errors[`skills.${i}`]}` : undefined)).filter(Boolean);
  const error = problem ?? errors.skills ?? chipErrors[0];

  const add = () => {
    const skill = text.trim().replace(/\s+/g, ' ');
    if (!skill) return setProblem('Type a skill first.');
    if (skill.length > 50) return setProblem('Keep each skill to 50 characters or fewer.');
    if (skills.some((s) => s.toLowerCase() === skill.toLowerCase())) return setProblem(`“${skill}” is already on your list.`);
    if (skills.length >= MAX_SKILLS) return setProblem(`You can list up to ${MAX_SKILLS} skills.`);
    setProblem(undefined);
    onChange([...skills, skill]);
    setText('');
    onAnnounce(`Added ${skill}.`);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };
  const remove = (skill: string) => {
    onChange(skills.filter((s) => s !== skill));
    onAnnounce(`Removed ${skill}.`);
    document.getElementById(`${id}-input`)?.focus();
  };

  return (
    <section className="card section" id="skills" aria-labelledby={`${id}-title`}>
      <div className="section-head">
        <h2 id={`${id}-title`}>Skills</h2>
      </div>
      <div className="field">
        <label htmlFor={`${id}-input`}>Add a skill</label>
        <div className="inline-form">
          <input
            id={`${id}-input`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKey}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? true : undefined}
            autoComplete="off"
          />
          <button type="button" className="button button-secondary" onClick={add}>
            Add
          </button>
        </div>
        <p className="field-hint" id={`${id}-hint`}>
          Press Enter to add. Up to {MAX_SKILLS} skills.
        </p>
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </div>
      {skills.length > 0 ? (
        <ul className="chips" aria-label="Your skills">
          {skills.map((s) => (
            <li key={s} className="chip chip-removable">
              {s}
              <button type="button" className="chip-remove" aria-label={`Remove ${s}`} onClick={() => remove(s)}>
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No skills yet.</p>
      )}
    </section>
  );
}
