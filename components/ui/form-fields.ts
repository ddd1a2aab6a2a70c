"use client";

import { useState } from "react";

/**
 * A form's values, each bound by name to its labelled control: the control's
 * id is `${form}-${name}`, so its label and the value cannot drift apart.
 */
export function useFormFields<V extends Record<string, unknown>>(form: string, initial: V) {
  const [values, setValues] = useState(initial);
  const set = (next: Partial<V>) => setValues((current) => ({ ...current, ...next }));
  return {
    values,
    set,
    reset: () => setValues(initial),
    /** What a TextField or SelectField over `name` is given. */
    bind: <K extends keyof V & string>(name: K) => ({
      id: `${form}-${name}`,
      value: values[name],
      onChange: (value: V[K]) => set({ [name]: value } as unknown as Partial<V>),
    }),
  };
}
