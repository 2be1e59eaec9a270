import type { Operation } from '../common';
import { abort } from './abort.operation';
import { deleteJob } from './delete.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';
import { waitForJob } from './waitForJob.operation';

/** Operations of both resources (ingest and query jobs), keyed by their value in either Operation list. */
export const operations: Record<string, Operation> = { abort, delete: deleteJob, get, getAll: getMany, waitForJob };

export const description = Object.values(operations).flatMap((operation) => operation.description);
