import type { ApprovalChain, ApprovalChainVersion, Calendar } from '../../models';

export const presentCalendar = (c: Calendar) => ({
  id: c.id,
  name: c.name,
  timezone: c.timezone,
  workingHours: c.workingHours,
  holidays: c.holidays,
  createdAt: c.createdAt.toISOString(),
  updatedAt: c.updatedAt.toISOString(),
});

export const presentChain = ({ chain, version }: { chain: ApprovalChain; version: ApprovalChainVersion }) => ({
  id: chain.id,
  version: version.version,
  name: version.definition.name,
  category: version.definition.category,
  steps: version.definition.steps,
  sla: version.definition.sla,
  calendarId: version.definition.calendarId ?? null,
  createdAt: chain.createdAt.toISOString(),
  updatedAt: version.createdAt.toISOString(),
});
