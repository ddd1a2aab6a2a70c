"use client";

import { useState, type FormEvent } from "react";
import type { z } from "zod";
import { describeZodError } from "@/server/errors";
import { Button, type ButtonProps } from "./button";
import { FormAlert } from "./states";

type Sending<I> = {
  mutate(input: I): void;
  error: { message: string } | null;
  isPending: boolean;
};

/**
 * A form's values checked with the procedure's own schema before they are
 * sent. What is wrong, or why the server refused, is one message for the form.
 */
export function useCheckedSubmit<S extends z.ZodType>(schema: S, mutation: Sending<z.output<S>>) {
  const [invalid, setInvalid] = useState<string | null>(null);
  return {
    /** What the form's last lines show: why it was refused, and whether it is on its way. */
    status: { error: invalid ?? mutation.error?.message ?? null, pending: mutation.isPending },
    /** Sends `values` if they pass; `refusal`, when given, stops the form with that message first. */
    submit(event: FormEvent, values: z.input<S>, refusal?: string | null) {
      event.preventDefault();
      if (refusal) return setInvalid(refusal);
      const parsed = schema.safeParse(values);
      if (!parsed.success) return setInvalid(describeZodError(parsed.error));
      setInvalid(null);
      mutation.mutate(parsed.data);
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
