import { ingestResultsOperation } from './ingestResults';

/** Get Unprocessed Records: the rows Salesforce never processed (failed or aborted job). */
export const getUnprocessedRecords = ingestResultsOperation('unprocessedrecords', 'getUnprocessedRecords');
