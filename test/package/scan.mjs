// Runs n8n's community package scanner (@n8n/scan-community-package) on a folder, offline, the way its
// `analyzePackageByName` does once it has the package: `source` lints the repository's sources, `tarball`
// an unpacked package's compiled files and package.json. Prints the result as one JSON line.
//   node test/package/scan.mjs <folder> source|tarball
import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [folder, leg] = process.argv.slice(2);
const patterns = leg === 'source' ? SOURCE_FILE_PATTERNS : ['**/*.js', 'package.json'];
const { passed, message, details } = await analyzePackage(folder, patterns);
process.stdout.write(`${JSON.stringify({ passed, message, details })}\n`);
