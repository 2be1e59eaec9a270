import { ingestResultsOperation } from './ingestResults';

/** Get Failed Results: the rows Salesforce rejected, each with its error. */
export const getFailedResults = ingestResultsOperation('failedResults', 'getFailedResults');
