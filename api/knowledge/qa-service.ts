import { randomUUID } from 'node:crypto';
import { ForeignKeyConstraintError, Op, QueryTypes, type Transaction, type WhereOptions } from 'sequelize';
import { notFound } from '../../domain/errors';
import {
  canAccept,
  canDeleteAnswer,
  canDeleteQuestion,
  canEditPost,
  canUnaccept,
  canVote,
  normaliseTags,
} from '../../domain/knowledge';
import { unwrap } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import { Answer, AnswerVote, Question, QuestionVote } from '../../models';
import { keysetPage } from '../http/pagination';

export type Vote = 1 | -1;

/** A question with its score and answer count. */
export interface QuestionStats {
  question: Question;
  score: number;
  answerCount: number;
}

export interface AnswerView {
  answer: Answer;
  score: number;
  myVote: Vote | null;
}

/** A question as `GET /questions/:id` shows it. */
export interface QuestionView extends QuestionStats {
  myVote: Vote | null;
  answers: AnswerView[];
}

/** What an edit of a question may change; fields left out keep their value. */
export interface QuestionChanges {
  title?: string | undefined;
  body?: string | undefined;
  tags?: string[] | undefined;
}

/**
 * A write that refers to a question or answer deleted a moment ago fails on its foreign key: for the caller that
 * is the same as having found nothing.
 */
async function orNotFound<T>(what: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (err instanceof ForeignKeyConstraintError) throw notFound(what);
    throw err;
  }
}

/**
 * Q&A: anyone signed in asks, answers and votes; the asker accepts an answer; authors edit and delete their
 * posts, knowledge editors and admins moderate anyone's. Scores are summed from votes (no stored counters), so
 * withdrawing a vote or deleting a post cannot leave a score behind.
 *
 * Deletion is for good: the schema has no deleted-at column, and its foreign keys do the rest (a question's
 * answers and all their votes go with it; deleting the accepted answer clears `accepted_answer_id`). Writes
 * that change which answers a question has, or which one is accepted, lock the question row first, so they
 * run one at a time per question and always take their locks in the same order.
 */
export class QaService {
  /** @param contentChanged called after a question or its answers changed, to update the search index; must not throw. */
  constructor(private readonly contentChanged: (questionId: string) => Promise<void> = async () => {}) {}

  async ask(user: Principal, input: { title: string; body: string; tags?: string[] | undefined }): Promise<Question> {
    const question = await Question.create({
      title: input.title,
      body: input.body,
      tags: normaliseTags(input.tags ?? []),
      authorId: user.id,
      acceptedAnswerId: null,
    });
    await this.contentChanged(question.id);
    return question;
  }

  async list(query: {
    limit: number;
    cursor?: string | undefined;
    tag?: string | undefined;
    answered?: boolean | undefined;
    authorId?: string | undefined;
  }): Promise<{ rows: QuestionStats[]; nextCursor: string | null }> {
    const conditions: WhereOptions[] = [];
    if (query.tag) conditions.push({ tags: { [Op.contains]: normaliseTags([query.tag]) } });
    if (query.answered !== undefined) conditions.push({ acceptedAnswerId: query.answered ? { [Op.ne]: null } : null });
    if (query.authorId) conditions.push({ authorId: query.authorId });
    const page = await keysetPage(Question, { [Op.and]: conditions }, query);
    const stats = await this.questionStats(page.rows.map((q) => q.id));
    return {
      rows: page.rows.map((question) => ({ question, ...(stats.get(question.id) ?? { score: 0, answerCount: 0 }) })),
      nextCursor: page.nextCursor,
    };
  }

  async get(user: Principal, id: string): Promise<QuestionView> {
    const question = await Question.findByPk(id);
    if (!question) throw notFound('Question');
    const stats = (await this.questionStats([id])).get(id) ?? { score: 0, answerCount: 0 };
    const answers = await Answer.findAll({ where: { questionId: id } });
    const scores = await this.sums(
      'answer_votes',
      'answer_id',
      answers.map((a) => a.id),
      user.id,
    );
    const mine = (await this.sums('question_votes', 'question_id', [id], user.id)).get(id)?.mine ?? null;
    const views = answers.map((answer) => ({
      answer,
      score: scores.get(answer.id)?.score ?? 0,
      myVote: scores.get(answer.id)?.mine ?? null,
    }));
    views.sort(
      (a, b) =>
        Number(b.answer.id === question.acceptedAnswerId) - Number(a.answer.id === question.acceptedAnswerId) ||
        b.score - a.score ||
        a.answer.createdAt.getTime() - b.answer.createdAt.getTime(),
    );
    return { question, ...stats, myVote: mine, answers: views };
  }

  async answer(user: Principal, questionId: string, body: string): Promise<Answer> {
    if (!(await Question.findByPk(questionId, { attributes: ['id'] }))) throw notFound('Question');
    const answer = await orNotFound('Question', Answer.create({ questionId, body, authorId: user.id }));
    await this.contentChanged(questionId);
    return answer;
  }

  /** The asker accepts an answer (accepting another one later moves the mark). */
  async accept(user: Principal, answerId: string): Promise<QuestionView> {
    const { questionId, changed } = await this.transaction(async (transaction) => {
      const { question, answer } = await this.lockAnswer(answerId, transaction);
      unwrap(canAccept(user.id, question, answer));
      if (question.acceptedAnswerId === answer.id) return { questionId: question.id, changed: false };
      await question.update({ acceptedAnswerId: answer.id }, { transaction });
      return { questionId: question.id, changed: true };
    });
    if (changed) await this.contentChanged(questionId);
    return this.get(user, questionId);
  }

  /**
   * The asker withdraws the acceptance: the question has no accepted answer any more. Withdrawing it from an
   * answer that is not the accepted one changes nothing (a retried request).
   */
  async unaccept(user: Principal, answerId: string): Promise<QuestionView> {
    const { questionId, changed } = await this.transaction(async (transaction) => {
      const { question, answer } = await this.lockAnswer(answerId, transaction);
      unwrap(canUnaccept(user.id, question, answer));
      if (question.acceptedAnswerId !== answer.id) return { questionId: question.id, changed: false };
      await question.update({ acceptedAnswerId: null }, { transaction });
      return { questionId: question.id, changed: true };
    });
    if (changed) await this.contentChanged(questionId);
    return this.get(user, questionId);
  }

  /** The author, a knowledge editor or an admin changes a question's title, body or tags. */
  async editQuestion(user: Principal, id: string, changes: QuestionChanges): Promise<QuestionView> {
    const changed = await this.transaction(async (transaction) => {
      const question = await Question.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!question) throw notFound('Question');
      unwrap(canEditPost(user, question));
      if (changes.title !== undefined) question.title = changes.title;
      if (changes.body !== undefined) question.body = changes.body;
      if (changes.tags !== undefined) question.tags = normaliseTags(changes.tags);
      if (!question.changed()) return false;
      await question.save({ transaction });
      return true;
    });
    if (changed) await this.contentChanged(id);
    return this.get(user, id);
  }

  /** The author, a knowledge editor or an admin rewrites an answer. */
  async editAnswer(
    user: Principal,
    id: string,
    body: string,
  ): Promise<{ view: AnswerView; acceptedAnswerId: string | null }> {
    const answer = await this.transaction(async (transaction) => {
      const answer = await Answer.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!answer) throw notFound('Answer');
      unwrap(canEditPost(user, answer));
      answer.body = body;
      if (answer.changed()) await answer.save({ transaction });
      return answer;
    });
    await this.contentChanged(answer.questionId);
    const question = await Question.findByPk(answer.questionId, { attributes: ['acceptedAnswerId'] });
    if (!question) throw notFound('Answer');
    const vote = (await this.sums('answer_votes', 'answer_id', [id], user.id)).get(id);
    return {
      view: { answer, score: vote?.score ?? 0, myVote: vote?.mine ?? null },
      acceptedAnswerId: question.acceptedAnswerId,
    };
  }

  /**
   * Deletes a question with its answers and votes. The asker may while nobody else has answered; knowledge
   * editors and admins always may. The row lock keeps an answer from arriving between the check and the delete.
   */
  async deleteQuestion(user: Principal, id: string): Promise<void> {
    await this.transaction(async (transaction) => {
      const question = await Question.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
      if (!question) throw notFound('Question');
      const answersByOthers = await Answer.count({
        where: { questionId: id, authorId: { [Op.ne]: question.authorId } },
        transaction,
      });
      unwrap(canDeleteQuestion(user, question, answersByOthers));
      await question.destroy({ transaction });
    });
    // The indexing activity removes the search document of a question whose row is gone.
    await this.contentChanged(id);
  }

  /** Deletes an answer with its votes; when it was the accepted one, the question has no accepted answer. */
  async deleteAnswer(user: Principal, id: string): Promise<void> {
    const questionId = await this.transaction(async (transaction) => {
      const { question, answer } = await this.lockAnswer(id, transaction);
      unwrap(canDeleteAnswer(user, answer));
      if (question.acceptedAnswerId === answer.id) question.acceptedAnswerId = null;
      // The question's search document is versioned by the newest change of the question and its answers; when
      // the newest answer goes, that would go back in time and the engine would keep the stale copy. Touching
      // the question moves the version forward.
      question.changed('updatedAt', true);
      await question.save({ transaction });
      await answer.destroy({ transaction });
      return question.id;
    });
    await this.contentChanged(questionId);
  }

  /** One vote per person and question; voting again replaces it. Nobody votes on their own question. */
  async voteQuestion(user: Principal, id: string, value: Vote): Promise<{ id: string; score: number; myVote: Vote }> {
    const question = await Question.findByPk(id, { attributes: ['id', 'authorId'] });
    if (!question) throw notFound('Question');
    unwrap(canVote(user.id, question.authorId));
    return this.vote('question_votes', 'question_id', id, user.id, value);
  }

  async voteAnswer(user: Principal, id: string, value: Vote): Promise<{ id: string; score: number; myVote: Vote }> {
    const answer = await Answer.findByPk(id, { attributes: ['id', 'authorId'] });
    if (!answer) throw notFound('Answer');
    unwrap(canVote(user.id, answer.authorId));
    return this.vote('answer_votes', 'answer_id', id, user.id, value);
  }

  /** Withdraws the caller's vote on a question; withdrawing a vote one does not have changes nothing. */
  async withdrawQuestionVote(user: Principal, id: string): Promise<void> {
    if (!(await Question.findByPk(id, { attributes: ['id'] }))) throw notFound('Question');
    await QuestionVote.destroy({ where: { questionId: id, userId: user.id } });
  }

  async withdrawAnswerVote(user: Principal, id: string): Promise<void> {
    if (!(await Answer.findByPk(id, { attributes: ['id'] }))) throw notFound('Answer');
    await AnswerVote.destroy({ where: { answerId: id, userId: user.id } });
  }

  private transaction<T>(work: (transaction: Transaction) => Promise<T>): Promise<T> {
    return Question.sequelize!.transaction(work);
  }

  /**
   * Loads an answer and its question for a change to either, locking the question row and then the answer row.
   * The answer is read again under the locks: it may have been deleted while this waited.
   */
  private async lockAnswer(id: string, transaction: Transaction): Promise<{ question: Question; answer: Answer }> {
    const found = await Answer.findByPk(id, { attributes: ['id', 'questionId'], transaction });
    if (!found) throw notFound('Answer');
    const question = await Question.findByPk(found.questionId, { transaction, lock: transaction.LOCK.UPDATE });
    const answer = await Answer.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });
    if (!question || !answer) throw notFound('Answer');
    return { question, answer };
  }

  private async vote(
    table: 'question_votes' | 'answer_votes',
    column: 'question_id' | 'answer_id',
    id: string,
    userId: string,
    value: Vote,
  ) {
    await orNotFound(
      table === 'question_votes' ? 'Question' : 'Answer',
      Question.sequelize!.query(
        `INSERT INTO ${table} (id, ${column}, user_id, value, created_at, updated_at)
         VALUES (:voteId, :id, :userId, :value, now(), now())
         ON CONFLICT (${column}, user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        { replacements: { voteId: randomUUID(), id, userId, value } },
      ),
    );
    const score = (await this.sums(table, column, [id], userId)).get(id)?.score ?? 0;
    return { id, score, myVote: value };
  }

  /** Score and the caller's vote per target id. */
  private async sums(
    table: 'question_votes' | 'answer_votes',
    column: 'question_id' | 'answer_id',
    ids: string[],
    userId: string,
  ): Promise<Map<string, { score: number; mine: Vote | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await Question.sequelize!.query<{ target: string; score: number; mine: number | null }>(
      `SELECT ${column} AS target, COALESCE(sum(value), 0)::int AS score,
              max(value) FILTER (WHERE user_id = :userId)::int AS mine
         FROM ${table} WHERE ${column} IN (:ids) GROUP BY ${column}`,
      { replacements: { ids, userId }, type: QueryTypes.SELECT },
    );
    return new Map(rows.map((r) => [r.target, { score: r.score, mine: r.mine === null ? null : (r.mine as Vote) }]));
  }

  private async questionStats(ids: string[]): Promise<Map<string, { score: number; answerCount: number }>> {
    if (ids.length === 0) return new Map();
    const rows = await Question.sequelize!.query<{ id: string; score: number; answer_count: number }>(
      `SELECT q.id,
              (SELECT COALESCE(sum(v.value), 0)::int FROM question_votes v WHERE v.question_id = q.id) AS score,
              (SELECT count(*)::int FROM answers a WHERE a.question_id = q.id) AS answer_count
         FROM questions q WHERE q.id IN (:ids)`,
      { replacements: { ids }, type: QueryTypes.SELECT },
    );
    return new Map(rows.map((r) => [r.id, { score: r.score, answerCount: r.answer_count }]));
  }
}
