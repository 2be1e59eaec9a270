/**
 * A store-only (no compression) ZIP writer, for Bulk API 1.0 binary-attachment batches. Storing keeps it
 * small and dependency-free (node:zlib is banned on n8n Cloud); attachments are mostly compressed already.
 * No ZIP64: a batch zip is at most 10 MB.
 */

export interface ZipEntry {
	/** Path inside the zip, `/`-separated, written as UTF-8. */
	name: string;
	data: Buffer;
}

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
const UTF8_FLAG = 0x0800;
const MAX_UINT32 = 0xffffffff;

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (IEEE 802.3), as zip stores it. `previous` continues a running CRC. */
export function crc32(data: Uint8Array, previous = 0): number {
	let crc = ~previous >>> 0;
	for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return ~crc >>> 0;
}

/** Bytes the zip of these entries takes: headers, names and data. */
export function zipSize(entries: ReadonlyArray<{ name: string; size: number }>): number {
	return entries.reduce((sum, e) => sum + LOCAL_HEADER + CENTRAL_HEADER + 2 * Buffer.byteLength(e.name) + e.size, END_RECORD);
}

/** MS-DOS date and time of a Date (local fields, as zip tools read them); 1980 is the earliest. */
function dosDateTime(date: Date): { time: number; date: number } {
	const year = Math.max(1980, date.getFullYear());
	return {
		time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
		date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
	};
}

/**
 * The fields a local header (from byte 4) and a central directory header (from byte 6) share, in the same
 * order: version needed (2.0), flags (UTF-8 names), method (stored), time, date, CRC, both sizes, name length.
 */
function writeEntryFields(header: Buffer, at: number, fields: { time: number; date: number; crc: number; size: number; nameLength: number }): void {
	header.writeUInt16LE(20, at);
	header.writeUInt16LE(UTF8_FLAG, at + 2);
	header.writeUInt16LE(0, at + 4);
	header.writeUInt16LE(fields.time, at + 6);
	header.writeUInt16LE(fields.date, at + 8);
	header.writeUInt32LE(fields.crc, at + 10);
	header.writeUInt32LE(fields.size, at + 14);
	header.writeUInt32LE(fields.size, at + 18);
	header.writeUInt16LE(fields.nameLength, at + 22);
}

/** A zip archive holding the entries stored as they are. */
export function zipStore(entries: readonly ZipEntry[], modified = new Date()): Buffer {
	if (entries.length > 0xffff) throw new Error(`A zip holds at most 65,535 entries, not ${entries.length}`);
	const { time, date } = dosDateTime(modified);
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	const names = new Set<string>();
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name, 'utf8');
		if (!entry.name || name.length > 0xffff || escapesRoot(entry.name)) throw new Error(`Invalid zip entry name "${entry.name}"`);
		if (names.has(entry.name)) throw new Error(`Duplicate zip entry name "${entry.name}"`);
		names.add(entry.name);
		const crc = crc32(entry.data);
		const size = entry.data.length;
		if (size > MAX_UINT32 || offset > MAX_UINT32) throw new Error('The zip would be larger than 4 GB');

		const fields = { time, date, crc, size, nameLength: name.length };
		const local = Buffer.alloc(LOCAL_HEADER);
		local.writeUInt32LE(0x04034b50, 0);
		writeEntryFields(local, 4, fields);
		// extra field length (28): 0
		locals.push(local, name, entry.data);

		const central = Buffer.alloc(CENTRAL_HEADER);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
		writeEntryFields(central, 6, fields);
		// extra length, comment length, disk number, internal and external attributes: all 0
		central.writeUInt32LE(offset, 42);
		centrals.push(central, name);
		offset += LOCAL_HEADER + name.length + size;
	}
	const centralSize = centrals.reduce((sum, b) => sum + b.length, 0);
	if (offset + centralSize > MAX_UINT32) throw new Error('The zip would be larger than 4 GB');
	const end = Buffer.alloc(END_RECORD);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(centralSize, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * A file name safe as a zip path and as a Bulk API `#reference`: the base name only (no folders, so no
 * `..` escapes), letters, digits, `.`, `-` and `_` kept, anything else `_`, at most 100 characters with
 * the extension kept, never hidden, and unique in `used` (case-insensitively: `a.txt`, `a-2.txt`…).
 */
export function safeEntryName(name: string, used: Set<string>): string {
	const base = String(name ?? '').split(/[\\/]/).pop() ?? '';
	let safe = base
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9._-]+/g, '_')
		.replace(/^\.+/, '');
	if (!safe.replace(/[._-]/g, '')) safe = 'file';
	const dot = safe.lastIndexOf('.');
	let stem = dot > 0 ? safe.slice(0, dot) : safe;
	let ext = dot > 0 ? safe.slice(dot) : '';
	if (ext.length > 20) [stem, ext] = [safe, ''];
	stem = stem.slice(0, 100 - ext.length);
	let candidate = stem + ext;
	for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem.slice(0, 100 - ext.length - String(n).length - 1)}-${n}${ext}`;
	used.add(candidate.toLowerCase());
	return candidate;
}

export interface ZipDirectoryEntry {
	name: string;
	/** Uncompressed size. */
	size: number;
	directory: boolean;
}

/**
 * The entries of a zip, from its central directory (nothing is inflated), or undefined when the bytes are
 * not a zip this reader understands (no end record, ZIP64, a directory outside the file).
 */
export function readZipDirectory(zip: Buffer): ZipDirectoryEntry[] | undefined {
	let end = -1;
	for (let k = zip.length - END_RECORD; k >= Math.max(0, zip.length - END_RECORD - 0xffff); k--) {
		if (zip.readUInt32LE(k) === 0x06054b50) {
			end = k;
			break;
		}
	}
	if (end < 0) return undefined;
	const count = zip.readUInt16LE(end + 10);
	const offset = zip.readUInt32LE(end + 16);
	if (count === 0xffff || offset === MAX_UINT32) return undefined;
	const entries: ZipDirectoryEntry[] = [];
	let at = offset;
	for (let n = 0; n < count; n++) {
		if (at + CENTRAL_HEADER > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return undefined;
		const size = zip.readUInt32LE(at + 24);
		const nameLength = zip.readUInt16LE(at + 28);
		const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
		if (size === MAX_UINT32 || at + CENTRAL_HEADER + nameLength > zip.length) return undefined;
		const raw = zip.subarray(at + CENTRAL_HEADER, at + CENTRAL_HEADER + nameLength);
		const name = zip.readUInt16LE(at + 8) & UTF8_FLAG ? raw.toString('utf8') : raw.toString('latin1');
		entries.push({ name, size, directory: name.endsWith('/') || name.endsWith('\\') });
		at += CENTRAL_HEADER + nameLength + skip;
	}
	return entries;
}

/** Whether a zip entry's path leaves the zip's root (absolute, a drive, or a `..` step), on any system. */
export function escapesRoot(name: string): boolean {
	return /^[\\/]/.test(name) || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..');
}
