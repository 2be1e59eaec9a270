// Seeded random helpers shared by the codec tests (reproducible failures: the seed is in the test name).

export type Rng = () => number;

export function rng(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const int = (r: Rng, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)];

const PIECES = [
	'a', 'Acme', ' ', '  lead', 'trail  ', '0', '42', '-3.5', 'é', 'ß', '中文', '😀', '👍🏽', '\u00a0',
	',', '\t', ';', '|', '^', '`', '"', '""', '\r', '\n', '\r\n', '#N/A', 'null', 'x"y', '\\',
];

/** A random CSV value: mixes delimiters, quotes, CR, LF, unicode (4-byte emoji), empties, long runs. */
export function randomValue(r: Rng): string {
	const roll = r();
	if (roll < 0.12) return '';
	if (roll < 0.15) return 'x'.repeat(int(r, 1000, 20000)) + pick(r, PIECES);
	let s = '';
	const n = int(r, 1, 6);
	for (let i = 0; i < n; i++) s += pick(r, PIECES);
	return s;
}

export function randomRows(r: Rng, maxRows = 30): string[][] {
	const cols = int(r, 1, 7);
	const rows: string[][] = [];
	const count = int(r, 1, maxRows);
	for (let i = 0; i < count; i++) rows.push(Array.from({ length: cols }, () => randomValue(r)));
	return rows;
}

/** Splits a buffer at random byte offsets (possibly inside a UTF-8 character); some chunks empty or 1 byte. */
export function randomChunks(r: Rng, buf: Buffer): Buffer[] {
	const out: Buffer[] = [];
	let pos = 0;
	while (pos < buf.length) {
		const roll = r();
		const size = roll < 0.3 ? int(r, 0, 2) : roll < 0.8 ? int(r, 1, 40) : int(r, 1, 5000);
		out.push(buf.subarray(pos, pos + size));
		pos += size;
	}
	return out;
}

export async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
	for (const item of items) yield item;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const item of items) out.push(item);
	return out;
}
