import { Worker } from '@temporalio/worker';
import { historyFixtures, loadHistory } from './test-harness';

/**
 * Replays histories recorded from real runs (see `maybeRecordHistory`; re-record with
 * `RECORD_HISTORIES=1 npx jest --selectProjects workflows --runInBand workflows/ticket`) against the current
 * workflow code. A change that running tickets would replay differently fails here: guard it with `patched()`
 * and keep the old histories.
 */
describe('ticketWorkflow replay of recorded histories', () => {
  const fixtures = historyFixtures();

  it('has the recorded histories', () => {
    expect(fixtures.map((f) => f.name)).toEqual(
      expect.arrayContaining(['approved-chain', 'returned-resubmitted', 'escalated']),
    );
  });

  it('replays every recorded history without a nondeterminism error', async () => {
    const histories = fixtures.map((f) => ({ workflowId: f.name, history: loadHistory(f.file) }));
    const results: { workflowId: string; error: unknown }[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../index') }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error });
    }
    expect(results).toEqual(fixtures.map((f) => ({ workflowId: f.name, error: undefined })));
  });

  it('fails to replay them against incompatible workflow code (the check is not vacuous)', async () => {
    const history = loadHistory(fixtures.find((f) => f.name === 'approved-chain')!.file);
    await expect(
      Worker.runReplayHistory({ workflowsPath: require.resolve('./__fixtures__/changed-workflow') }, history),
    ).rejects.toThrow(/[Nn]ondeterminis/);
  });
});
