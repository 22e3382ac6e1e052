/**
 * The ticket workflow's search attributes, typed once here so the workflow, the API (visibility queries such
 * as `TicketStatus = "pending_approval" AND ApproverIds = "<user>"`) and set-up scripts agree on names and
 * types. The namespace must have them registered: set-up registers {@link TICKET_SEARCH_ATTRIBUTES}.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

export const TICKET_ID = defineSearchAttributeKey('TicketId', SearchAttributeType.KEYWORD);
export const TICKET_STATUS = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const TICKET_CATEGORY = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const TICKET_PRIORITY = defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD);
export const TICKET_REQUESTER_ID = defineSearchAttributeKey('RequesterId', SearchAttributeType.KEYWORD);
/** The people who currently have to act on the current step: undecided approvers, live delegates, escalation targets. */
export const TICKET_APPROVER_IDS = defineSearchAttributeKey('ApproverIds', SearchAttributeType.KEYWORD_LIST);

/** Every key, for registering them on a namespace (`operatorService.addSearchAttributes`). */
export const TICKET_SEARCH_ATTRIBUTES = [
  TICKET_ID,
  TICKET_STATUS,
  TICKET_CATEGORY,
  TICKET_PRIORITY,
  TICKET_REQUESTER_ID,
  TICKET_APPROVER_IDS,
] as const;
