/**
 * Pure domain functions answer "no" with a value instead of throwing, so workflow code (Update validators,
 * reducers) can branch on it deterministically and the HTTP edge can turn it into the right problem+json.
 */
import { AppError } from './errors';

/** Why a domain operation was refused, with the HTTP status the edge answers with. */
export interface Refusal<C extends string = string> {
  ok: false;
  /** Stable, machine-readable code (becomes the problem's `code`). */
  code: C;
  /** 400 bad input, 403 not allowed for this actor, 409 not allowed in the current state. */
  status: 400 | 403 | 409;
  /** Human-readable explanation. */
  message: string;
}

/** A successful result carrying a value. */
export interface Accepted<T> {
  ok: true;
  value: T;
}

export type Outcome<T, C extends string = string> = Accepted<T> | Refusal<C>;

export const accept = <T>(value: T): Accepted<T> => ({ ok: true, value });

export const refuse = <C extends string>(code: C, status: Refusal['status'], message: string): Refusal<C> => ({
  ok: false,
  code,
  status,
  message,
});

/** Turns a refusal into the application's error type, for code paths that throw (services, the HTTP edge). */
export function refusalToError(refusal: Refusal): AppError {
  return new AppError(refusal.status, refusal.code, refusal.message);
}

/** Returns the value of an accepted outcome or throws the refusal as an {@link AppError}. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw refusalToError(outcome);
}
