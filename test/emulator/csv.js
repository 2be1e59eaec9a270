'use strict';
// The emulator's CSV: csv-parse (an independent, well-kept parser) for uploads, and a writer that quotes
// the way Salesforce's results do.

const { parse } = require('csv-parse/sync');

const DELIMITERS = { BACKQUOTE: '`', CARET: '^', COMMA: ',', PIPE: '|', SEMICOLON: ';', TAB: '\t' };
const LINE_ENDINGS = { LF: '\n', CRLF: '\r\n' };

class CsvError extends Error {}

/**
 * Parses uploaded CSV. The job's line ending must match the data's (Salesforce rejects the job
 * otherwise) and a BOM is kept, so it spoils the first header as it does on Salesforce.
 */
function parseCsv(buffer, { columnDelimiter = 'COMMA', lineEnding = 'LF' } = {}) {
	const text = Buffer.isBuffer(buffer) ? buffer.toString('utf8') : String(buffer);
	const firstNewline = text.indexOf('\n');
	if (firstNewline > 0) {
		const crlf = text[firstNewline - 1] === '\r';
		if (crlf !== (lineEnding === 'CRLF')) {
			throw new CsvError(`ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`);
		}
	}
	let records;
	try {
		records = parse(text, {
			delimiter: DELIMITERS[columnDelimiter],
			record_delimiter: LINE_ENDINGS[lineEnding],
			bom: false,
			relax_column_count: true,
			skip_empty_lines: true,
		});
	} catch (error) {
		throw new CsvError(`ClientInputError : Failed to parse CSV. ${error.message}`);
	}
	if (records.length === 0) throw new CsvError('ClientInputError : Content type must be text/csv and the data must have a header row');
	return { header: records[0], rows: records.slice(1) };
}

function quote(value) {
	const text = String(value);
	return text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`;
}

/** Quotes a value only when it must be (used for echoed input columns). */
function quoteIfNeeded(value, delimiter) {
	const text = String(value);
	return text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r') ? quote(text) : text;
}

/** @type {(column: number) => boolean} */
const ALWAYS = () => true;

/** One CSV line. `quoted(i)` says whether column i is always quoted. */
function csvLine(values, delimiter, quoted = ALWAYS) {
	if (quoted === ALWAYS && values.every((v) => typeof v === 'string' && !v.includes('"'))) {
		return `"${values.join(`"${delimiter}"`)}"`; // the common case of query results, in one go
	}
	let line = '';
	for (let i = 0; i < values.length; i++) {
		if (i) line += delimiter;
		line += quoted(i) ? quote(values[i] ?? '') : quoteIfNeeded(values[i] ?? '', delimiter);
	}
	return line;
}

module.exports = { parseCsv, csvLine, quote, CsvError, DELIMITERS, LINE_ENDINGS };
