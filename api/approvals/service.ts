import { fn, col, where as sqlWhere, type Transaction } from 'sequelize';
import { validateChain, type ApprovalChainDefinition } from '../../domain/approval-chain';
import { validateCalendar, type BusinessCalendar } from '../../domain/calendar';
import { badRequest, conflict, notFound } from '../../domain/errors';
import { ApprovalChain, ApprovalChainVersion, Calendar } from '../../models';
import { keysetPage } from '../http/pagination';

export interface CalendarInput extends BusinessCalendar {
  name: string;
}

/** Calendars and versioned approval chains. A chain edit is a new immutable version. */
export class ApprovalConfigService {
  async createCalendar(input: CalendarInput): Promise<Calendar> {
    this.checkCalendar(input);
    return Calendar.create({
      name: input.name,
      timezone: input.timezone,
      workingHours: input.workingHours,
      holidays: input.holidays,
    });
  }

  async updateCalendar(id: string, input: CalendarInput): Promise<Calendar> {
    const calendar = await this.getCalendar(id);
    this.checkCalendar(input);
    return calendar.update({
      name: input.name,
      timezone: input.timezone,
      workingHours: input.workingHours,
      holidays: input.holidays,
    });
  }

  async getCalendar(id: string): Promise<Calendar> {
    const calendar = await Calendar.findByPk(id);
    if (!calendar) throw notFound('Calendar');
    return calendar;
  }

  listCalendars(query: { limit: number; cursor?: string | undefined }) {
    return keysetPage(Calendar, {}, query);
  }

  async createChain(
    input: ApprovalChainDefinition,
    actorId: string,
  ): Promise<{ chain: ApprovalChain; version: ApprovalChainVersion }> {
    await this.checkChain(input);
    return ApprovalChain.sequelize!.transaction(async (transaction) => {
      if (await this.chainForCategory(input.category, transaction)) {
        throw conflict(`Category "${input.category}" already has an approval chain; edit that one.`, 'category_taken');
      }
      const chain = await ApprovalChain.create(
        { name: input.name, category: input.category, currentVersion: 1, createdBy: actorId },
        { transaction },
      );
      const version = await ApprovalChainVersion.create(
        { chainId: chain.id, version: 1, definition: normalise(input), createdBy: actorId },
        { transaction },
      );
      return { chain, version };
    });
  }

  /** Saves a new version; tickets already running keep the version they were submitted with. */
  async updateChain(id: string, input: ApprovalChainDefinition, actorId: string) {
    await this.checkChain(input);
    return ApprovalChain.sequelize!.transaction(async (transaction) => {
      const chain = await ApprovalChain.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!chain) throw notFound('Approval chain');
      const other = await this.chainForCategory(input.category, transaction);
      if (other && other.id !== id)
        throw conflict(`Category "${input.category}" already has an approval chain.`, 'category_taken');
      const next = chain.currentVersion + 1;
      const version = await ApprovalChainVersion.create(
        { chainId: id, version: next, definition: normalise(input), createdBy: actorId },
        { transaction },
      );
      await chain.update({ name: input.name, category: input.category, currentVersion: next }, { transaction });
      return { chain, version };
    });
  }

  async getChain(id: string, versionNumber?: number): Promise<{ chain: ApprovalChain; version: ApprovalChainVersion }> {
    const chain = await ApprovalChain.findByPk(id);
    if (!chain) throw notFound('Approval chain');
    const version = await ApprovalChainVersion.findOne({
      where: { chainId: id, version: versionNumber ?? chain.currentVersion },
    });
    if (!version) throw notFound('Approval chain version');
    return { chain, version };
  }

  async listVersions(id: string): Promise<ApprovalChainVersion[]> {
    if (!(await ApprovalChain.findByPk(id, { attributes: ['id'] }))) throw notFound('Approval chain');
    return ApprovalChainVersion.findAll({
      where: { chainId: id },
      order: [['version', 'DESC']],
      attributes: ['version', 'createdAt', 'createdBy'],
    });
  }

  async listChains(query: { limit: number; cursor?: string | undefined; category?: string | undefined }) {
    const page = await keysetPage(
      ApprovalChain,
      query.category ? sqlWhere(fn('lower', col('category')), query.category.toLowerCase()) : {},
      query,
    );
    const versions = await Promise.all(
      page.rows.map((c) => ApprovalChainVersion.findOne({ where: { chainId: c.id, version: c.currentVersion } })),
    );
    return { rows: page.rows.map((chain, i) => ({ chain, version: versions[i]! })), nextCursor: page.nextCursor };
  }

  /** The current chain of a ticket category with its calendar, as a submission pins it; null without one. */
  async forSubmission(
    category: string,
  ): Promise<{ chain: ApprovalChain; version: ApprovalChainVersion; calendar: Calendar | null } | null> {
    const chain = await this.chainForCategory(category);
    if (!chain) return null;
    const version = await ApprovalChainVersion.findOne({ where: { chainId: chain.id, version: chain.currentVersion } });
    if (!version) return null;
    const calendarId = version.definition.calendarId;
    const calendar = calendarId ? await Calendar.findByPk(calendarId) : null;
    return { chain, version, calendar };
  }

  private chainForCategory(category: string, transaction?: Transaction) {
    return ApprovalChain.findOne({
      where: sqlWhere(fn('lower', col('category')), category.toLowerCase()),
      transaction,
    });
  }

  private checkCalendar(input: BusinessCalendar): void {
    const errors = validateCalendar(input, 'body');
    if (errors.length > 0) throw badRequest('The calendar is not valid.', errors);
  }

  private async checkChain(input: ApprovalChainDefinition): Promise<void> {
    const errors = validateChain(input, 'body');
    if (input.calendarId && !(await Calendar.findByPk(input.calendarId, { attributes: ['id'] }))) {
      errors.push({ path: 'body.calendarId', message: 'no such calendar' });
    }
    if (errors.length > 0) throw badRequest('The approval chain is not valid.', errors);
  }
}

/** Drops absent optional fields so stored definitions compare and replay cleanly. */
function normalise(input: ApprovalChainDefinition): ApprovalChainDefinition {
  return JSON.parse(JSON.stringify({ ...input, calendarId: input.calendarId ?? null })) as ApprovalChainDefinition;
}
