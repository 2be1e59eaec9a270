// resultMatching.ts: Bulk 2.0 result files matched back to the rows sent.
import { ResultMatcher } from '../../../nodes/shared/bulk2/resultMatching';

describe('ResultMatcher: what does not add up is said, never dropped', () => {
	const sent = [['A', '1'], ['B', '2'], ['A', '1']];
	const match = async (files: Partial<Record<'successfulResults' | 'failedResults' | 'unprocessedrecords', string>>, state = 'JobComplete') => {
		const matcher = new ResultMatcher(['Name', 'N'], sent, 'upsert');
		for (const [which, csv] of Object.entries(files)) await matcher.read(which as 'failedResults', [Buffer.from(csv)]);
		return matcher.finish({ state });
	};

	it('matches by the echoed values whatever the column order or header case', async () => {
		const report = await match({ successfulResults: '"sf__Id","sf__Created",n,Name\nid1,true,1,A\nid2,false,2,B\n', failedResults: '"sf__Id","sf__Error",Name,N\n,"DUPLICATE_VALUE:dup: x",A,1\n' });
		expect(report.outcomes).toEqual([
			{ status: 'created', success: true, id: 'id1', error: null, errorCode: null },
			{ status: 'updated', success: true, id: 'id2', error: null, errorCode: null },
			{ status: 'failed', success: false, id: null, error: 'DUPLICATE_VALUE:dup: x', errorCode: 'DUPLICATE_VALUE' },
		]);
		expect(report.problems).toEqual([]);
	});

	it('a result that matches nothing, and a row without result, are reported', async () => {
		const report = await match({ successfulResults: '"sf__Id","sf__Created",Name,N\nid1,true,A,1\nid9,true,Z,9\n' });
		expect(report.outcomes.map((o) => o.status)).toEqual(['created', 'unknown', 'unknown']);
		expect(report.outcomes[1].error).toBe('Salesforce returned no result that matches this row');
		expect(report.problems).toEqual(['Salesforce returned 2 results (2 successful, 0 failed, 0 unprocessed) for 3 rows sent', '1 result rows match no row sent', '2 rows have no matching result (status "unknown")']);
	});

	it('results without a column sent cannot be matched; rows of an aborted job are unprocessed', async () => {
		const report = await match({ successfulResults: '"sf__Id","sf__Created",Name\nid1,true,A\n' });
		expect(report.problems[0]).toBe('its successfulResults lack the column "N", so they could not be matched to the rows sent');
		expect(report.outcomes.every((o) => o.status === 'unknown')).toBe(true);
		const aborted = await match({}, 'Aborted');
		expect(aborted.outcomes[0]).toEqual({ status: 'unprocessed', success: false, id: null, error: 'The job ended Aborted before this row was processed', errorCode: null });
	});

	it('200,000 shuffled rows with duplicates all match', async () => {
		const rows = Array.from({ length: 200000 }, (_, i) => [`Name ${i % 50000}`, String(i % 3)]);
		const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919) % 200003) - ((b * 7919) % 200003));
		const matcher = new ResultMatcher(['Name', 'N'], rows, 'insert');
		const csv = ['"sf__Id","sf__Created",Name,N', ...order.map((i) => `id${i},true,${rows[i][0]},${rows[i][1]}`)].join('\n');
		await matcher.read('successfulResults', [Buffer.from(csv)]);
		const report = matcher.finish({ state: 'JobComplete' });
		expect(report.problems).toEqual([]);
		expect(new Set(report.outcomes.map((o) => o.id)).size).toBe(200000);
		// Each row got the result of a row with the same values.
		expect(report.outcomes.filter((o, i) => rows[Number(String(o.id).slice(2))].join() !== rows[i].join())).toEqual([]);
	});
});

describe('ResultMatcher across several jobs (Resume Jobs)', () => {
	it("tags each outcome with the job whose results named the row; a row in no job's results is unprocessed with the reason", async () => {
		const matcher = new ResultMatcher(['Name'], [['A'], ['B'], ['A'], ['C'], ['D']], 'insert');
		await matcher.read('successfulResults', [Buffer.from('"sf__Id","sf__Created",Name\nid1,true,A\n')], undefined, 'job1');
		await matcher.read('failedResults', [Buffer.from('"sf__Id","sf__Error",Name\n,"REQUIRED_FIELD_MISSING:x",B\n')], undefined, 'job1');
		await matcher.read('successfulResults', [Buffer.from('"sf__Id","sf__Created",Name\nid2,true,A\nid9,true,Z\n')], undefined, 'job2');
		await matcher.read('unprocessedrecords', [Buffer.from('Name\nC\n')], undefined, 'job2');
		const report = matcher.finishAcross(
			[
				{ id: 'job1', state: 'JobComplete' },
				{ id: 'job2', state: 'Failed', errorMessage: 'InvalidBatch : stopped' },
			],
			'never uploaded',
		);
		expect(report.outcomes.map((o) => [o.status, o.jobId, o.error])).toEqual([
			['created', 'job1', null],
			['failed', 'job1', 'REQUIRED_FIELD_MISSING:x'],
			['created', 'job2', null],
			['unprocessed', 'job2', 'InvalidBatch : stopped'],
			['unprocessed', null, 'never uploaded'],
		]);
		expect(report.problems).toEqual(['1 result rows match no input row: give the same input as the run that created the jobs', "1 rows are in no job's results: never uploaded"]);
	});
});
