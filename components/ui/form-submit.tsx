"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import { describeZodError } from "@/server/errors";
import { Button, type ButtonProps } from "./button";
import { FormAlert } from "./states";

type Sending<I> = {
  mutate(input: I): void;
  reset(): void;
  error: { message: string } | null;
  isPending: boolean;
};

/**
 * A form's values checked with the procedure's own schema before they are
 * sent. What is wrong, or why the server refused, is one message for the form.
 *
 * The schema comes from `load` (an `import()` of the procedure's schemas),
 * fetched once the form is on screen: the schema library is about a tenth of
 * a console page's JavaScript, and a page needs it only once a form is sent.
 * `labels` names the input's fields as the form shows them, for its messages.
 */
export function useCheckedSubmit<S extends z.ZodType>(
  load: () => Promise<S>,
  mutation: Sending<z.output<S>>,
  labels?: Record<string, string>,
) {
  const [invalid, setInvalid] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const schema = useRef<Promise<S> | null>(null);
  const loaded = () => (schema.current ??= load());
  useEffect(() => {
    loaded().catch(() => (schema.current = null));
    // `load` is a fresh closure each render; the schema it brings never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return {
    /** What the form's last lines show: why it was refused, and whether it is on its way. */
    status: {
      error: invalid ?? mutation.error?.message ?? null,
      pending: checking || mutation.isPending,
    },
    /**
     * For the form's onInvalidCapture: the browser refused a field before
     * `submit` ran, and shows why itself; the last refusal is no longer news.
     */
    browserRefused() {
      setInvalid(null);
      mutation.reset();
    },
    /** Sends `values` if they pass; `refusal`, when given, stops the form with that message first. */
    submit(event: FormEvent, values: z.input<S>, refusal?: string | null) {
      event.preventDefault();
      if (refusal) return setInvalid(refusal);
      setChecking(true);
      loaded()
        .then(
          (rule) => {
            const parsed = rule.safeParse(values);
            if (!parsed.success) return setInvalid(describeZodError(parsed.error, labels));
            setInvalid(null);
            mutation.mutate(parsed.data);
          },
          () => {
            schema.current = null;
            setInvalid("The form could not be checked: check the connection and send it again.");
          },
        )
        .finally(() => setChecking(false));
    },
  };
}

/**
 * A form's last lines: why it was refused, then its button. `span` lays
 * both across the form's grid; without it the button fills its column.
 */
export function FormSubmit(props: {
  error: string | null;
  pending: boolean;
  /** What the button says; with a second text, what it says while the form is on its way. */
  label: string | [idle: string, sending: string];
  variant?: ButtonProps["variant"];
  span?: string;
}) {
  const button = (
    <Button type="submit" variant={props.variant} disabled={props.pending}>
      {typeof props.label === "string" ? props.label : props.label[props.pending ? 1 : 0]}
    </Button>
  );
  return (
    <>
      <FormAlert message={props.error} className={props.span} />
      {props.span ? <div className={props.span}>{button}</div> : button}
    </>
  );
}
