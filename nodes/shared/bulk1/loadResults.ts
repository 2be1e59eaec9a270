/** A Bulk API 1.0 batch's load results (one per row sent, in input order), and each row's outcome. */
import type { IDataObject } from 'n8n-workflow';

import { parseCsv } from '../codecs/csv';
import { parseXml } from '../codecs/xml';
import type { DataFormat } from './dataFormat';

/** One row's load result, whatever the format. `error` in the CSV form: `CODE:message:fields --`. */
export interface LoadResult {
	id: string | null;
	success: boolean;
	created: boolean;
	error: string | null;
}

export type RowStatus = 'created' | 'updated' | 'deleted' | 'failed' | 'unprocessed';

export interface BatchRowOutcome extends IDataObject {
	status: RowStatus;
	success: boolean;
	created: boolean;
	id: string | null;
	error: string | null;
	/** The part of the error before the first ':', e.g. REQUIRED_FIELD_MISSING. */
	errorCode: string | null;
}

function errorText(statusCode: unknown, message: unknown, fields: unknown): string {
	const list = (Array.isArray(fields) ? fields : fields ? [fields] : []).map(String);
	return `${String(statusCode ?? 'UNKNOWN_EXCEPTION')}:${String(message ?? '')}:${list.length ? `${list.join(',')} ` : ''}--`;
}

/** A batch's load results, one per input row in input order. */
export function parseLoadResults(format: DataFormat, text: string): LoadResult[] {
	if (!text.trim()) return [];
	if (format === 'CSV') {
		const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''), { lineEnding: 'auto' });
		const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
		const [id, success, created, error] = ['id', 'success', 'created', 'error'].map(col);
		return rows.map((r) => ({ id: r[id] || null, success: r[success] === 'true', created: r[created] === 'true', error: r[error] || null }));
	}
	if (format === 'XML') {
		return parseXml(text)
			.children.filter((c) => c.name === 'result')
			.map((result) => {
				const get = (name: string) => result.children.find((c) => c.name === name)?.text ?? '';
				const errors = result.children
					.filter((c) => c.name === 'errors')
					.map((e) => {
						const of = (name: string) => e.children.filter((c) => c.name === name).map((c) => c.text);
						return errorText(of('statusCode')[0], of('message')[0], of('fields'));
					});
				return { id: get('id') || null, success: get('success') === 'true', created: get('created') === 'true', error: errors.join(' ') || null };
			});
	}
	const list = JSON.parse(text) as Array<{ id?: string | null; success?: boolean; created?: boolean; errors?: IDataObject[] }>;
	return list.map((r) => ({
		id: r.id || null,
		success: r.success === true,
		created: r.created === true,
		error: (r.errors ?? []).map((e) => errorText(e.statusCode, e.message, e.fields)).join(' ') || null,
	}));
}

/** A row's outcome from its result; no result = not processed (`reason` says why, e.g. the batch's stateMessage). */
export function rowOutcome(result: LoadResult | undefined, operation: string, reason?: string): BatchRowOutcome {
	if (!result) return { status: 'unprocessed', success: false, created: false, id: null, error: reason ?? null, errorCode: null };
	const status: RowStatus = !result.success ? 'failed' : result.created ? 'created' : /delete/i.test(operation) ? 'deleted' : 'updated';
	return { status, success: result.success, created: result.created, id: result.id, error: result.error, errorCode: result.error ? result.error.split(':')[0] : null };
}
