import { ingestResultsOperation } from './ingestResults';

/** Get Successful Results: the rows Salesforce saved, with the record ID. */
export const getSuccessfulResults = ingestResultsOperation('successfulResults', 'getSuccessfulResults');
