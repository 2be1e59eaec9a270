import type { IExecuteFunctions } from "n8n-workflow";
import { NodeOperationError } from "n8n-workflow";

import type { LoadPart } from "../../../../shared/bulk2/load";
import { nodeError } from "../../../../shared/transport/errors";
import {
  CsvError,
  delimiterChar,
  parseCsv,
  type LineEnding,
} from "../../../../shared/codecs/csv";
import { CsvScan } from "../../../../shared/codecs/csvScan";
import { MAX_FIELD_CHARS } from "../../../../shared/codecs/records";
import {
  partFromSource,
  splitCsv,
  type CsvPart,
} from "../../../../shared/codecs/csvSplit";
import {
  firstChunk,
  readableFrom,
  readAllBytes,
} from "../../../../shared/codecs/streams";
import {
  checkCsvRows,
  csvInputOf,
  csvSourceOf,
  invalidUtf8At,
  notCsv,
  utf8Text,
  type CsvCheck,
} from "../../../../shared/node/csvInput";
import type { LoadSettings } from "./settings";

/**
 * The CSV of one item (text or binary file), split at row boundaries into parts. Each part is checked (UTF-8,
 * CSV, field lengths) and its rows are kept only when the results are to be matched to them (waiting).
 * A file is checked while it is sent, in one pass: each chunk goes on to the upload once the parser has read
 * it, and bad data stops the upload part-way (the job, never closed, is aborted with the load's others). A
 * second upload attempt reads the part again from n8n's binary store, so no part is held in memory: a 300 MB
 * file loads in constant memory. Text is in memory already: it is checked first and sent after.
 */
export async function* csvParts(
  ctx: IExecuteFunctions,
  i: number,
  settings: LoadSettings,
): AsyncGenerator<LoadPart> {
  const node = ctx.getNode();
  const where = csvSourceOf(ctx, i);
  const refuse = (message: string, hint = "") =>
    new NodeOperationError(node, message, {
      itemIndex: i,
      description: `In ${where}.${hint ? ` ${hint}` : ""}`,
    });
  const open = csvInputOf(ctx, i);
  const input = await open();
  // The first chunk tells whether this is CSV at all; the rest of the stream goes on from there.
  const { head, all, close } = await firstChunk(
    input as Buffer | AsyncIterable<Buffer>,
  );
  const kind = notCsv(head);
  if (kind) {
    await close();
    throw refuse(
      `${where[0].toUpperCase()}${where.slice(1)} is not a CSV file: it is ${kind}`,
      "Give a CSV file (UTF-8 text, a header row of field names, one row per record)",
    );
  }
  const splitRefusal = (error: CsvError) =>
    refuse(
      `${error.code === "ROW_TOO_LARGE" ? "A CSV row does not fit in one job: raise Split Size" : "The CSV is not valid"}: ${error.message}`,
    );
  /** Errors of the check as the node reports them: the parser's say where (a line), the splitter's (line 0) are its own. */
  const checkError = (error: unknown, from: string) => {
    if (error instanceof CsvError)
      return error.line > 0
        ? refuse(`The CSV is not valid: ${error.message}${from}`)
        : splitRefusal(error);
    return nodeError(node, error);
  };
  // The input stays open while parts are read from it: closed however this ends (done, refused, or the load
  // stopped taking parts after a failed upload), not left for the garbage collector.
  try {
    let firstRow = 1; // 1-based number of the next data row, for messages
    try {
      for await (const part of splitCsv(all, {
        maxBytes: settings.maxBytes,
        maxRows: settings.maxRows,
        // The check reads every row: the split looks for row ends only where it cuts, unless Max Rows per Job needs them counted.
        countRows: settings.maxRows !== Infinity,
        lineEnding: settings.lineEnding ?? "auto",
      })) {
        const crlf =
          part.header.length > 1 &&
          part.header[part.header.length - 2] === 13 &&
          part.header[part.header.length - 1] === 10;
        const lineEnding: LineEnding = crlf ? "CRLF" : "LF";
        if (settings.lineEnding && settings.lineEnding !== lineEnding) {
          throw refuse(
            `The CSV's lines end with ${lineEnding}, but the Line Ending option says ${settings.lineEnding}`,
          );
        }
        const from =
          part.index > 0
            ? ` (counting from data row ${firstRow}, where this job's part starts)`
            : "";
        const notUtf8 = async (seen: number) => {
          // Only on this error: the part's bytes read so far, to say where the bad byte is.
          const body = await readAllBytes(
            await partFromSource(
              open,
              part.header,
              part.start,
              part.start + seen - part.header.length,
            )(),
          );
          const bad = invalidUtf8At(body);
          const line = body
            .subarray(0, bad)
            .toString("latin1")
            .split("\n").length;
          return refuse(
            `The CSV is not UTF-8 text: byte 0x${body[bad].toString(16).toUpperCase()} on line ${line}${from}`,
            "Save the file as UTF-8 (Salesforce reads CSV as UTF-8)",
          );
        };
        const rows: string[][] = [];
        const read: CsvCheck = { header: undefined, count: 0 };
        const parsed = (chunks: AsyncIterable<Buffer>, into: CsvCheck) =>
          checkCsvRows(
            utf8Text(chunks, notUtf8),
            { delimiter: settings.delimiter, lineEnding },
            refuse,
            into,
            {
              firstRow,
              onRow: settings.wait ? (row) => rows.push(row) : undefined,
            },
          );
        // Rows not kept (no waiting): a byte scan checks the part without building them; where it finds the
        // part invalid, the row parser reads the part again from the source to say where and why.
        const scanned = async function* (chunks: AsyncIterable<Buffer>) {
          read.header = parseCsv(part.header.toString("utf8"), {
            delimiter: settings.delimiter,
            lineEnding,
          })[0];
          const scan = new CsvScan(
            delimiterChar(settings.delimiter).charCodeAt(0),
            lineEnding === "CRLF",
            MAX_FIELD_CHARS,
          );
          for await (const chunk of chunks) {
            if (!scan.push(chunk)) break;
            read.count = scan.rows;
            yield;
          }
          if (scan.valid && scan.end()) {
            read.count = scan.rows;
            return;
          }
          const again = await partFromSource(
            open,
            part.header,
            part.start,
            Infinity,
          )();
          // Not a yield in between: what the scan refused is never passed on to the upload.
          const bytes = Buffer.isBuffer(again)
            ? [again]
            : (again as AsyncIterable<Buffer>);
          for await (const _ of parsed(bytes as AsyncIterable<Buffer>, {
            header: undefined,
            count: 0,
          }))
            void _;
          throw refuse("The CSV is not valid");
        };
        const check = (chunks: AsyncIterable<Buffer>) =>
          settings.wait ? parsed(chunks, read) : scanned(chunks);
        // Header and count as checked so far: complete once the part is checked (before, or while, it is sent).
        const loadPart: LoadPart = {
          // The part's end is known once it has been read: the source is cut when the body is asked for.
          body: async () =>
            await partFromSource(open, part.header, part.start, part.end)(),
          get header() {
            return read.header ?? [];
          },
          get rowCount() {
            return read.count;
          },
          rows: settings.wait ? rows : undefined,
          lineEnding,
        };
        if (Buffer.isBuffer(input)) {
          try {
            for await (const _ of check(part.chunks)) void _;
          } catch (error) {
            throw checkError(error, from);
          }
        } else {
          const sent = checkedWhileSent(input, open, part, check, (error) =>
            checkError(error, from),
          );
          loadPart.body = sent.body;
          loadPart.failure = sent.failure;
        }
        yield loadPart;
        if (!part.done)
          throw new NodeOperationError(
            node,
            `Part ${part.index} of the CSV was not sent to its end`,
            { itemIndex: i },
          );
        firstRow += read.count;
      }
    } catch (error) {
      if (!(error instanceof CsvError)) throw nodeError(node, error);
      throw splitRefusal(error);
    }
    if (firstRow === 1) {
      const check = settings.lineEnding
        ? ` (or its lines do not end with ${settings.lineEnding}, as the Line Ending option says)`
        : "";
      throw refuse(
        `The CSV has no data rows: give a header row and at least one row${check}`,
      );
    }
  } finally {
    await close();
  }
}

/**
 * A part's upload body that checks the part as it goes: the first attempt streams the part's chunks, each
 * once the check has read it; a later attempt (the first one dropped) sends again, from the source, what was
 * already sent, then goes on with the check. `failure` is the check's error, if it stopped the body.
 */
function checkedWhileSent(
  sample: NodeJS.ReadableStream,
  open: () => Promise<Buffer | NodeJS.ReadableStream>,
  part: CsvPart,
  check: (chunks: AsyncIterable<Buffer>) => AsyncGenerator<void>,
  asError: (error: unknown) => Error,
) {
  let failed: Error | undefined;
  let checked = false;
  let sent = 0; // bytes of the part (header included) passed on so far
  const waiting: Buffer[] = [];
  // The check reads the part through this tap; what it has read waits in `waiting` to be sent.
  const chunks = part.chunks[Symbol.asyncIterator]();
  const checks = check({
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const next = await chunks.next();
        if (!next.done) waiting.push(next.value);
        return next;
      },
    }),
  });
  async function* live(): AsyncGenerator<Buffer> {
    for (;;) {
      while (waiting.length) {
        const chunk = waiting.shift() as Buffer;
        sent += chunk.length;
        yield chunk;
      }
      if (checked) return;
      try {
        checked = (await checks.next()).done === true;
      } catch (error) {
        failed = asError(error);
        throw failed;
      }
    }
  }
  const body = async (): Promise<NodeJS.ReadableStream> => {
    if (failed) throw failed;
    if (checked && !waiting.length)
      return (await partFromSource(
        open,
        part.header,
        part.start,
        part.end,
      )()) as NodeJS.ReadableStream;
    if (sent === 0) return readableFrom(sample, live(), { closeSample: false });
    const again = (await partFromSource(
      open,
      part.header,
      part.start,
      part.start + sent - part.header.length,
    )()) as AsyncIterable<Buffer>;
    return readableFrom(
      sample,
      (async function* () {
        yield* again;
        yield* live();
      })(),
      { closeSample: false },
    );
  };
  return { body, failure: () => failed };
}
