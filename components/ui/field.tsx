import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";
import { humanize } from "../format";
import { cn } from "./cn";

const CONTROL =
  "h-9 rounded-md border border-zinc-300 bg-white px-2.5 text-sm dark:border-zinc-700 dark:bg-zinc-950 disabled:opacity-60";

type Labelled = {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  className?: string;
};

/** A labelled control with its hint and its error, wired for screen readers. */
export function Field(props: Labelled & { children: ReactNode }) {
  return (
    <div className={cn("flex flex-col gap-1", props.className)}>
      <label htmlFor={props.id} className="text-sm font-medium">
        {props.label}
      </label>
      {props.children}
      {props.hint ? (
        <p id={`${props.id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${props.id}-error`} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function Input({ className, ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={cn(CONTROL, className)} {...props} />;
}

export function Select({ className, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={cn(CONTROL, className)} {...props} />;
}

type InputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange">;

/** A labelled text input over a value the view keeps. */
export function TextField({
  id,
  label,
  hint,
  error,
  className,
  inputClassName,
  value,
  onChange,
  ...input
}: Labelled & { value: string; onChange: (value: string) => void; inputClassName?: string } & Omit<
    InputAttributes,
    "className"
  >) {
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      <Input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={inputClassName}
        {...input}
      />
    </Field>
  );
}

export type Choice<V> = { value: V; label: string };

/** The page's text for a choice's value: "" stands for none. */
const optionValue = (value: string | number | null) => String(value ?? "");

/** A labelled choice among `options`, each value given back as it was declared. */
export function SelectField<V extends string | number | null>(
  props: Labelled & {
    value: V;
    options: Choice<V>[];
    onChange: (value: V) => void;
    disabled?: boolean;
  },
) {
  return (
    <Field
      id={props.id}
      label={props.label}
      hint={props.hint}
      error={props.error}
      className={props.className}
    >
      <Select
        id={props.id}
        value={optionValue(props.value)}
        disabled={props.disabled}
        onChange={(e) => {
          const picked = props.options.find((o) => optionValue(o.value) === e.target.value);
          if (picked) props.onChange(picked.value);
        }}
      >
        {props.options.map((o) => (
          <option key={optionValue(o.value)} value={optionValue(o.value)}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/**
 * A filter's choices: "any" (the value "") first, then each value as the
 * product names it ("IN_SYNC" → "In sync"), unless `labels` names it otherwise.
 */
export function anyOf<V extends string>(
  values: readonly V[],
  options: { any?: string; labels?: Partial<Record<V, string>> } = {},
): Choice<V | "">[] {
  return [
    { value: "", label: options.any ?? "Any" },
    ...values.map((value) => ({ value, label: options.labels?.[value] ?? humanize(value) })),
  ];
}
