import { randomUUID } from 'node:crypto';
import { Op, QueryTypes, type WhereOptions } from 'sequelize';
import { notFound } from '../../domain/errors';
import { canAccept, canVote, normaliseTags } from '../../domain/knowledge';
import { unwrap } from '../../domain/refusal';
import type { Principal } from '../../domain/roles';
import { Answer, Question } from '../../models';
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

/** Q&A: anyone signed in asks, answers and votes; the asker accepts an answer. Scores are summed from votes. */
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
    const answer = await Answer.create({ questionId, body, authorId: user.id });
    await this.contentChanged(questionId);
    return answer;
  }

  /** The asker accepts an answer (accepting another one later moves the mark). */
  async accept(user: Principal, answerId: string): Promise<QuestionView> {
    const answer = await Answer.findByPk(answerId);
    if (!answer) throw notFound('Answer');
    const question = await Question.findByPk(answer.questionId);
    if (!question) throw notFound('Answer');
    unwrap(canAccept(user.id, question, answer));
    if (question.acceptedAnswerId !== answer.id) {
      await question.update({ acceptedAnswerId: answer.id });
      await this.contentChanged(question.id);
    }
    return this.get(user, question.id);
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

  private async vote(
    table: 'question_votes' | 'answer_votes',
    column: 'question_id' | 'answer_id',
    id: string,
    userId: string,
    value: Vote,
  ) {
    await Question.sequelize!.query(
      `INSERT INTO ${table} (id, ${column}, user_id, value, created_at, updated_at)
       VALUES (:voteId, :id, :userId, :value, now(), now())
       ON CONFLICT (${column}, user_id) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      { replacements: { voteId: randomUUID(), id, userId, value } },
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
