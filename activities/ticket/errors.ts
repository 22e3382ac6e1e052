/**
 * Which failures Temporal should retry. Activities throw transient errors (connection lost, deadlock,
 * serialization failure, broker unavailable) as they are, so the retry policy runs; input that can never
 * succeed becomes a non-retryable `ApplicationFailure`, so the workflow learns at once instead of retrying
 * until its timeout.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DatabaseError, ForeignKeyConstraintError, ValidationError } from 'sequelize';

/** PostgreSQL SQLSTATE classes that no retry can fix: 22 data exception (bad uuid, bad timestamp), 23 integrity. */
const PERMANENT_SQLSTATE = /^(22|23)/;

/** A non-retryable failure with a stable `type` the workflow can branch on. */
export function permanent(type: string, message: string, cause?: unknown): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    message,
    nonRetryable: true,
    ...(cause instanceof Error ? { cause } : {}),
  });
}

/** Rethrows `err`, turned non-retryable when it is a database error no retry can fix. */
export function rethrowClassified(err: unknown): never {
  if (err instanceof ApplicationFailure) throw err;
  if (err instanceof ForeignKeyConstraintError || err instanceof ValidationError) {
    throw permanent('invalid_reference', err.message, err);
  }
  if (err instanceof DatabaseError) {
    const code = (err.parent as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && PERMANENT_SQLSTATE.test(code)) throw permanent('invalid_input', err.message, err);
  }
  throw err;
}

/** Runs `fn`, classifying what it throws with {@link rethrowClassified}. */
export async function classified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    rethrowClassified(err);
  }
}
