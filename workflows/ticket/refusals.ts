/**
 * Refusals as Update failures: the validator (or the handler, when the state changed while the update
 * waited its turn) throws an `ApplicationFailure` whose `type` is the refusal code; the API maps it with
 * `REFUSAL_STATUS`. Non-retryable, and an ApplicationFailure fails only the update, never the workflow.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { type Refusal } from '../../domain/refusal';

export function refusalFailure(code: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/** Throws the refusal, if any, as the update's failure. */
export function throwIfRefused(refusal: Pick<Refusal, 'code' | 'message'> | null | undefined): void {
  if (refusal) throw refusalFailure(refusal.code, refusal.message);
}

export const refused = (code: string, message: string): Pick<Refusal, 'code' | 'message'> => ({ code, message });
